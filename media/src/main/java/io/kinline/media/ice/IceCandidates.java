package io.kinline.media.ice;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * Host candidates as SDP lines (RFC 8839 §5.1). A lite agent gathers only host candidates: the
 * switch's media address is reachable from the facility network, so there is nothing to discover.
 * With RTCP-mux and one bundled audio stream there is one component and one candidate per address.
 */
public final class IceCandidates {

    /** Host type preference (RFC 8445 §5.1.2.2 recommends 126). */
    static final int HOST_TYPE_PREFERENCE = 126;

    private IceCandidates() {
    }

    /**
     * The RFC 8445 §5.1.2.1 priority: {@code 2^24 * type + 2^8 * local + (256 - component)}. IPv4 gets
     * the higher local preference, as most tablets' Wi-Fi is IPv4.
     */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /** {@code a=candidate:<foundation> 1 udp <priority> <ip> <port> typ host}, CRLF-terminated. */
    public static String hostLine(InetSocketAddress address) {
        boolean v4 = address.getAddress() instanceof Inet4Address;
        long prio = priority(HOST_TYPE_PREFERENCE, v4 ? 65535 : 65534, 1);
        // Foundation: the same for candidates of the same type, base and protocol (RFC 8445 §5.1.1.3).
        String foundation = v4 ? "1" : "2";
        return "a=candidate:" + foundation + " 1 udp " + prio + " " + address.getAddress().getHostAddress() + " "
                + address.getPort() + " typ host\r\n";
    }

    /** The session-level line that makes this agent lite (RFC 8839 §5.3). */
    public static String liteLine() {
        return "a=ice-lite\r\n";
    }
}
