package io.kinline.sip;

/** Implemented by the call layer: receives every admitted new inbound INVITE. */
@FunctionalInterface
public interface InboundCallHandler {
    /**
     * Called on a Netty event loop once an INVITE passed admission and overload control; 100 Trying has been sent.
     * Must not block. Ring/answer/reject later from any thread.
     */
    void onInvite(InboundCall call);
}
