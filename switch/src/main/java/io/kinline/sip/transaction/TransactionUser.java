package io.kinline.sip.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.kinline.sip.transport.Transport;

import java.net.InetSocketAddress;

/** The layer above the transactions (the UA core). Called on the transaction layer's event loop. */
public interface TransactionUser {

    /** A new request (not a retransmission), except ACK and CANCEL; respond through {@code st}. */
    void onRequest(ServerTransaction st, SIPRequest request);

    /** An ACK that matched no INVITE server transaction in Completed state: the ACK for a 2xx (RFC 6026). */
    void onAck(SIPRequest ack, Transport transport, InetSocketAddress source);

    /**
     * The INVITE of {@code inviteSt} was cancelled; 200 OK for the CANCEL has been sent. The TU should answer the
     * INVITE with 487 if it is still unanswered.
     */
    void onCancel(ServerTransaction inviteSt, SIPRequest cancel);

    /** A response that matched no client transaction, e.g. a 2xx retransmission after Timer M: re-ACK it. */
    void onStrayResponse(SIPResponse response, Transport transport, InetSocketAddress source);
}
