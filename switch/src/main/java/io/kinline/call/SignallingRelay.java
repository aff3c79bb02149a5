package io.kinline.call;

import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.InboundCall;
import io.kinline.sip.InboundCallHandler;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipServer;
import io.kinline.sip.TerminationReason;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signalling-only B2BUA: each inbound INVITE becomes an outbound INVITE to the trunk with the same
 * SDP, and each leg's progress, answer, failure and hangup is mirrored on the other. No IVR, no media
 * anchoring, no database.
 *
 * <p>This is {@code kinline run --mode=b2bua-passthrough}: it measures the SIP stack (transport,
 * transactions, two dialogs per call) against a stateful proxy such as Kamailio under the same SIPp
 * load. It is not how inmate calls run. Everything here happens on SIP event loops and never blocks.
 */
public final class SignallingRelay implements InboundCallHandler {

    private static final Logger log = LoggerFactory.getLogger(SignallingRelay.class);

    private final SipServer sip;
    private final AtomicLong relayed = new AtomicLong();

    public SignallingRelay(SipServer sip) {
        this.sip = sip;
    }

    public long relayed() {
        return relayed.get();
    }

    @Override
    public void onInvite(InboundCall a) {
        if (a.remoteSdp() == null) {
            a.reject(488, "Not Acceptable Here - Offer Required");
            return;
        }
        AtomicReference<Dialog> aDialog = new AtomicReference<>();
        AtomicReference<Dialog> bDialog = new AtomicReference<>();
        String number = a.requestUser().isEmpty() ? "unknown" : a.requestUser();
        OutboundCallRequest req = OutboundCallRequest.of(number, a.remoteSdp())
                .withCallerId(a.fromUser().isEmpty() ? null : a.fromUser());
        OutboundCall b = sip.placeCall(req, new OutboundCallListener() {
            @Override
            public void onProvisional(OutboundCall call, int status, String sdp) {
                a.ringing(null);
            }

            @Override
            public void onAnswered(OutboundCall call, Dialog dialog, String sdp) {
                bDialog.set(dialog);
                a.answer(sdp, new Mirror(bDialog)).whenComplete((d, err) -> {
                    if (err != null) {
                        dialog.bye(); // the caller cancelled or never ACKed
                    } else {
                        aDialog.set(d);
                        relayed.incrementAndGet();
                    }
                });
            }

            @Override
            public void onFailed(OutboundCall call, int status, String reason) {
                int code = status >= 300 && status < 700 ? status : 502;
                a.reject(code, reason == null || reason.isEmpty() ? "Trunk Failure" : reason, Map.of());
            }
        }, new Mirror(aDialog));
        a.cancelled().thenRun(b::cancel);
    }

    /** Ends the other leg when this one ends; answers re-INVITEs with the last SDP seen (no media here). */
    private static final class Mirror implements DialogListener {
        private final AtomicReference<Dialog> other;

        Mirror(AtomicReference<Dialog> other) {
            this.other = other;
        }

        @Override
        public CompletionStage<String> onReInvite(Dialog dialog, String offer) {
            Dialog o = other.get();
            if (o == null || offer == null) {
                return CompletableFuture.completedFuture(null);
            }
            return o.reinvite(offer);
        }

        @Override
        public void onTerminated(Dialog dialog, TerminationReason reason) {
            Dialog o = other.get();
            if (o != null && reason != TerminationReason.LOCAL_BYE) {
                o.bye();
            } else if (o == null) {
                log.debug("leg {} ended before the other was confirmed: {}", dialog.callId(), reason);
            }
        }
    }
}
