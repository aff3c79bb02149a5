package io.kinline.log.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import io.kinline.log.SafeText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/** A logging event whose message and MDC values are escaped ({@link SafeText}); the rest is the event's own. */
final class SafeLoggingEvent implements ILoggingEvent {

    private final ILoggingEvent e;

    SafeLoggingEvent(ILoggingEvent event) {
        this.e = event;
    }

    @Override
    public String getFormattedMessage() {
        return SafeText.escapeAll(e.getFormattedMessage(), SafeMessageConverter.MAX_MESSAGE);
    }

    @Override
    public String getMessage() {
        return getFormattedMessage();
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        Map<String, String> raw = e.getMDCPropertyMap();
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        Map<String, String> safe = new LinkedHashMap<>();
        raw.forEach((k, v) -> safe.put(SafeText.escape(k), SafeText.escape(v)));
        return safe;
    }

    @SuppressWarnings("deprecation")
    @Override
    public Map<String, String> getMdc() {
        return getMDCPropertyMap();
    }

    @Override
    public String getThreadName() {
        return e.getThreadName();
    }

    @Override
    public Level getLevel() {
        return e.getLevel();
    }

    @Override
    public String getLoggerName() {
        return e.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return e.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return e.getThrowableProxy();
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return e.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return e.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return e.getMarkerList();
    }

    @Override
    public long getTimeStamp() {
        return e.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return e.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
        return e.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        return e.getKeyValuePairs();
    }

    @Override
    public void prepareForDeferredProcessing() {
        e.prepareForDeferredProcessing();
    }
}
