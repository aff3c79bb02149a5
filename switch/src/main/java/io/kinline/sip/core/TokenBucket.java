package io.kinline.sip.core;

/**
 * Token bucket for calls per second; burst = max(1, rate). Thread-safe: the core loop charges it for most
 * handlers, a call's thread for handlers that screen callers first ({@code InboundCall.admit}); a monitor
 * that is almost never contended costs nothing next to an INVITE.
 */
final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double perSecond) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = Math.max(1.0, perSecond);
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
