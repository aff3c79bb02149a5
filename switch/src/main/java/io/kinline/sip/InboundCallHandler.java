package io.kinline.sip;

/** Implemented by the call layer: receives every admitted new inbound INVITE. */
@FunctionalInterface
public interface InboundCallHandler {
    /**
     * Called on a Netty event loop once an INVITE passed admission and overload control; 100 Trying has been sent.
     * Must not block. Ring/answer/reject later from any thread.
     */
    void onInvite(InboundCall call);

    /**
     * Whether this handler screens callers before the call-rate budget ({@code maxCallsPerSecond}) is charged.
     * By default (false) the SIP core charges it before {@link #onInvite}. A handler that returns true must call
     * {@link InboundCall#admit()} once a caller passed its own checks (the B2BUA looks the station up): INVITEs it
     * turns away (an unknown station) then never spend the budget that real calls need.
     */
    default boolean screensCallers() {
        return false;
    }
}
