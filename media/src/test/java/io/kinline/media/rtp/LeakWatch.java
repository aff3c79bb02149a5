package io.kinline.media.rtp;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty's paranoid leak reports into test failures: listens on the leak detector's logger and,
 * after a GC and fresh allocations (which is when Netty reports), fails if anything was reported.
 */
public final class LeakWatch {

    private static final ListAppender<ILoggingEvent> APPENDER = new ListAppender<>();

    private LeakWatch() {
    }

    public static synchronized void install() {
        if (!APPENDER.isStarted()) {
            Logger l = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
            APPENDER.start();
            l.addAppender(APPENDER);
        }
    }

    public static void assertNoLeaks() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
                ByteBuf h = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
                h.release();
            }
        }
        for (ILoggingEvent e : APPENDER.list) {
            if (e.getFormattedMessage().contains("LEAK")) {
                throw new AssertionError("ByteBuf leak: " + e.getFormattedMessage());
            }
        }
    }
}
