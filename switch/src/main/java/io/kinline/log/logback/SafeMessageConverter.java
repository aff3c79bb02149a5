package io.kinline.log.logback;

import io.kinline.log.SafeText;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %safeMsg} in logback.xml: the formatted message with control and bidi characters escaped
 * ({@link SafeText}), so no value from outside can start a forged line or hide text, whichever call site
 * logged it. Stack traces are printed by {@code %ex} separately and keep their lines.
 */
public final class SafeMessageConverter extends MessageConverter {

    /** Generous: a message is one line of an event; anything longer is a value that should not be there. */
    static final int MAX_MESSAGE = 16 * 1024;

    @Override
    public String convert(ILoggingEvent event) {
        return SafeText.escapeAll(super.convert(event), MAX_MESSAGE);
    }
}
