package io.kinline.tests.peer;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every SIP message the peer sends or receives at DEBUG on logger {@code kinline.tests.sip.wire}. */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger log = LoggerFactory.getLogger("kinline.tests.sip.wire");

    public Slf4jServerLogger() {
    }

    @Override public void closeLogFile() { }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {}\n{}", sender ? "SENT" : "RECV", from, to, message);
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, sender, 0);
    }

    @Override public void logException(Exception ex) { log.debug("sip exception", ex); }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public void setSipStack(SipStack sipStack) { }
}
