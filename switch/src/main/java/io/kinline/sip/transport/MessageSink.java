package io.kinline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;

import java.net.InetSocketAddress;

/** Receives well-formed messages from the transports (on the transport's I/O thread). */
@FunctionalInterface
public interface MessageSink {
    /**
     * @param message   parsed and validated; for requests, the top Via already carries received/rport (RFC 3581)
     * @param transport the transport it arrived on (use it for the response)
     * @param source    the packet source / connection peer
     */
    void onMessage(SIPMessage message, Transport transport, InetSocketAddress source);
}
