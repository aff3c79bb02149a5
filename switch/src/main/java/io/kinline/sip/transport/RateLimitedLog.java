package io.kinline.sip.transport;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/** At most one log line per interval; counts what it suppressed. Lock-free, any thread. */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long n = next.get();
        if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos)) {
            long s = suppressed.getAndSet(0);
            if (s > 0) {
                log.warn("({} similar messages suppressed)", s);
            }
            log.warn(format, args);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
