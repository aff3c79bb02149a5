package io.kinline.sip.transport;

import gov.nist.javax.sip.header.Via;

import java.net.InetSocketAddress;

/** Response routing, RFC 3261 §18.2.2 with RFC 3581. */
public final class Routing {
    private Routing() {
    }

    /**
     * Where to send a response whose top Via is {@code via} to a request that came from {@code source}.
     * Reliable transports: back to the connection (its peer address). Otherwise received/rport, then sent-by.
     */
    public static InetSocketAddress responseDestination(Via via, InetSocketAddress source, Transport transport) {
        if (transport.reliable() || via == null) {
            return source;
        }
        int rport = via.getRPort();
        if (rport > 0) {
            String received = via.getReceived();
            return received != null ? new InetSocketAddress(Inbound.stripBrackets(received), rport)
                    : new InetSocketAddress(source.getAddress(), rport);
        }
        String received = via.getReceived();
        int port = via.getPort() > 0 ? via.getPort() : 5060;
        if (received != null) {
            return new InetSocketAddress(Inbound.stripBrackets(received), port);
        }
        return new InetSocketAddress(Inbound.stripBrackets(via.getHost()), port);
    }
}
