package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One SIP transport (RFC 3261 §18): UDP, TCP, TLS (a TCP transport with an SslHandler) and
 * WebSocket (RFC 7118: one message per frame, reliable, connections keyed by the remote address).
 */
public interface Transport {

    /** Lower-case transport name as used in Via and the {@code transport=} URI parameter: "udp", "tcp", "tls", "ws", "wss". */
    String name();

    /** Reliable transports get no retransmissions from the transaction layer and zero-length wait timers. */
    boolean reliable();

    /** The bound local address (sent-by of our Via, host of our Contact). */
    InetSocketAddress localAddress();

    /**
     * Encodes {@code message} in the calling thread (so the caller may keep using it afterwards) and sends it.
     * Connection-oriented transports reuse an open connection to {@code destination} (which is how responses go
     * back over the connection the request came on) or open a new one. The future fails on transport errors; it
     * never throws.
     */
    CompletableFuture<Void> send(SIPMessage message, InetSocketAddress destination);

    /**
     * Whether a connection that {@code peer} opened is up, so that requests toward it must use that connection
     * (the RFC 5626 flow) rather than its Contact, which is often unroutable ({@code *.invalid}, RFC 7118).
     * Only the TLS and WebSocket transports keep flows; UDP and TCP answer false.
     */
    default boolean hasConnection(InetSocketAddress peer) {
        return false;
    }

    /** The {@code transport=} URI parameter for our Contact: the name, except "ws" for WSS (RFC 7118 §5.2). */
    default String uriTransport() {
        return name();
    }

    /** Sends raw bytes (e.g. a CRLF keep-alive); same contract as {@link #send(SIPMessage, InetSocketAddress)}. */
    CompletableFuture<Void> sendRaw(byte[] bytes, InetSocketAddress destination);
}
