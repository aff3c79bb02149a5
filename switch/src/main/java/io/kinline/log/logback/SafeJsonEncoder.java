package io.kinline.log.logback;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * One JSON object per line ({@code logFormat: json}): logback's own {@link JsonEncoder} (its JSON escaping keeps
 * an event on one line), fed a view of the event whose message and MDC values ({@code callId}) are escaped as
 * {@link io.kinline.log.SafeText} escapes them in text logs, so bidi and control characters from outside are
 * visible, not acted on, in whatever shows the logs. The raw message template and its arguments are left out:
 * the escaped formatted message carries them.
 */
public final class SafeJsonEncoder extends JsonEncoder {

    public SafeJsonEncoder() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithContext(false);
        setWithMessage(false);
        setWithArguments(false);
        setWithKVPList(false);
        setWithFormattedMessage(true);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return super.encode(new SafeLoggingEvent(event));
    }
}
