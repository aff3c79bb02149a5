package io.kinline.admin.http;

import io.kinline.sip.transport.RateLimitedLog;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the admin server's connections, in all and per source address, and closes a new one at accept
 * when either count is at its cap (nothing is read from it). Thread-safe; the counts drop when a
 * connection closes.
 */
final class ConnectionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final RateLimitedLog refusals = new RateLimitedLog(log, 5_000);

    ConnectionLimiter(HttpLimits limits) {
        this.max = limits.maxConnections();
        this.maxPerAddress = limits.maxConnectionsPerAddress();
    }

    /** Admits the new connection or closes it; call once per accepted channel. */
    boolean admit(Channel ch) {
        InetAddress addr = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refuse(ch, "the server has " + max + " connections open");
            return false;
        }
        if (addr != null && maxPerAddress > 0) {
            int n = perAddress.computeIfAbsent(addr, k -> new AtomicInteger()).incrementAndGet();
            if (n > maxPerAddress) {
                release(addr);
                open.decrementAndGet();
                refuse(ch, maxPerAddress + " connections are open from " + addr.getHostAddress());
                return false;
            }
        }
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (addr != null && maxPerAddress > 0) {
                release(addr);
            }
        });
        return true;
    }

    private void release(InetAddress addr) {
        perAddress.computeIfPresent(addr, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void refuse(Channel ch, String why) {
        refusals.warn("admin API connection from {} closed at accept: {}", ch.remoteAddress(), why);
        ch.close();
    }

    int open() {
        return open.get();
    }
}
