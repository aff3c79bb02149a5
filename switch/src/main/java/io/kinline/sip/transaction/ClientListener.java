package io.kinline.sip.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/** Outcome of a client transaction. Called on the transaction layer's event loop. */
public interface ClientListener {

    /** Every response passed up: provisionals, the first final response and, for INVITE, 2xx retransmissions. */
    void onResponse(ClientTransaction ct, SIPResponse response);

    /** Timer B or F fired (map to 408), or the transport failed ({@code transportError}, map to 503). */
    void onTimeout(ClientTransaction ct, boolean transportError);
}
