package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One SIP transport (RFC 3261 §18): UDP and TCP today; TLS and WebSocket (RFC 7118) are meant to implement the
 * same interface (a TLS transport is a TCP transport with an SslHandler; a WS transport frames one message per
 * WebSocket frame and is reliable, with connection reuse keyed by the remote address).
 */
public interface Transport {

    /** Lower-case transport name as used in Via and the {@code transport=} URI parameter: "udp", "tcp", "tls", "ws". */
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

    /** Sends raw bytes (e.g. a CRLF keep-alive); same contract as {@link #send(SIPMessage, InetSocketAddress)}. */
    CompletableFuture<Void> sendRaw(byte[] bytes, InetSocketAddress destination);
}
