package io.kinline.sip.testua;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/** Routes the JAIN-SIP RI's own logging (test UA only) to slf4j; the RI otherwise needs log4j 1.x. */
public final class JainUaStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("jain-sip-ua");

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable ex) { LOG.debug("exception", ex); }
    @Override public void logDebug(String message) { LOG.trace(message); }
    @Override public void logDebug(String message, Exception ex) { LOG.trace(message, ex); }
    @Override public void logTrace(String message) { LOG.trace(message); }
    @Override public void logFatalError(String message) { LOG.error(message); }
    @Override public void logError(String message) { LOG.debug(message); }
    @Override public boolean isLoggingEnabled() { return false; }
    @Override public boolean isLoggingEnabled(int logLevel) { return false; }
    @Override public void logError(String message, Exception ex) { LOG.debug(message, ex); }
    @Override public void logWarning(String message) { LOG.debug(message); }
    @Override public void logInfo(String message) { LOG.debug(message); }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() { return "jain-sip-ua"; }
}
