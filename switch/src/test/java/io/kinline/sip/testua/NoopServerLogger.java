package io.kinline.sip.testua;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;

import javax.sip.SipStack;
import java.util.Properties;

/** Silences the JAIN-SIP RI message log of the test UA. */
public final class NoopServerLogger implements ServerLogger {
    @Override public void closeLogFile() { }
    @Override public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) { }
    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender,
                                     long time) { }
    @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) { }
    @Override public void logException(Exception ex) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public void setSipStack(SipStack sipStack) { }
}
