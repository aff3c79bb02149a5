package io.kinline.log.logback;

import io.kinline.log.SafeText;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safeMdc{callId}}: an MDC value (the SIP Call-ID comes from the peer) escaped as {@link SafeText} does. */
public final class SafeMdcConverter extends MDCConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return SafeText.escape(super.convert(event));
    }
}
