package io.kinline.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collects Netty's leak reports (the paranoid detector logs "LEAK:" at ERROR when a leaked buffer is
 * garbage collected) so a test can fail on them instead of leaving them in a log nobody reads.
 */
final class HttpLeakWatch {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");

    HttpLeakWatch() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Forces collection, lets the detector run, and fails if any leak was reported. */
    void assertNoLeaks() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            // The detector reports pending leaks when a new buffer is tracked.
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
            b.release();
        }
        logger.detachAppender(appender);
        List<String> leaks = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("LEAK")).toList();
        assertTrue(leaks.isEmpty(), () -> "ByteBuf leaks:\n" + String.join("\n", leaks));
    }
}
