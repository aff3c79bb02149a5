package io.kinline.tests.peer;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP RI's internal logging to slf4j (logger {@code gov.nist}), so the RI needs no
 * log4j on the class path. Installed through {@code gov.nist.javax.sip.STACK_LOGGER}.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("gov.nist");
    /** The RI logs a great deal at debug; only pass it through when asked (-Dkinline.tests.sipDebug=true). */
    private static final boolean DEBUG = Boolean.getBoolean("kinline.tests.sipDebug");

    public Slf4jStackLogger() {
    }

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable ex) { log.warn("jain-sip exception", ex); }
    @Override public void logDebug(String message) { log.debug(message); }
    @Override public void logDebug(String message, Exception ex) { log.debug(message, ex); }
    @Override public void logTrace(String message) { log.trace(message); }
    @Override public void logFatalError(String message) { log.error(message); }
    @Override public void logError(String message) { log.error(message); }
    @Override public boolean isLoggingEnabled() { return DEBUG && log.isDebugEnabled(); }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel <= TRACE_ERROR) {
            return log.isErrorEnabled();
        }
        if (logLevel == TRACE_WARN) {
            return log.isWarnEnabled();
        }
        if (logLevel == TRACE_INFO) {
            return log.isInfoEnabled();
        }
        if (logLevel == TRACE_DEBUG) {
            return DEBUG && log.isDebugEnabled();
        }
        return DEBUG && log.isTraceEnabled();
    }

    @Override public void logError(String message, Exception ex) { log.error(message, ex); }
    @Override
    public void logWarning(String message) {
        // the RI warns at every start that TLS is unconfigured; the test peers never use TLS
        if (message != null && (message.contains("tls") || message.contains("TLS") || message.contains("store type"))) {
            log.debug(message);
        } else {
            log.warn(message);
        }
    }
    @Override public void logInfo(String message) { log.info(message); }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() { return "gov.nist"; }
}
