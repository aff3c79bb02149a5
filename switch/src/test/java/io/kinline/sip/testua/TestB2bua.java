package io.kinline.sip.testua;

import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.InboundCall;
import io.kinline.sip.InboundCallHandler;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipServer;
import io.kinline.sip.TerminationReason;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny signalling-only B2BUA for tests: each admitted INVITE rings, places a B-leg to the trunk with a dummy
 * SDP, answers the A-leg when B answers, and connects BYE, re-INVITE, CANCEL and failures between the legs.
 * In {@code direct} mode it answers the A-leg itself without a B-leg.
 */
public final class TestB2bua implements InboundCallHandler {
    public static final String SDP_A = "v=0\r\no=kinline 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendrecv\r\n";
    public static final String SDP_B = SDP_A.replace("40000", "40002");

    public volatile SipServer sip;
    public volatile boolean direct;
    /** In direct mode: answer at all (false = leave the call ringing). */
    public volatile boolean answerDirect = true;
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<InboundCall> calls = new CopyOnWriteArrayList<>();
    public final CompletableFuture<TerminationReason> aTerminated = new CompletableFuture<>();
    public final CompletableFuture<TerminationReason> bTerminated = new CompletableFuture<>();
    public final CompletableFuture<Dialog> aDialog = new CompletableFuture<>();
    public final CompletableFuture<Integer> bFailed = new CompletableFuture<>();
    public final CompletableFuture<String> dtmf = new CompletableFuture<>();

    @Override
    public void onInvite(InboundCall call) {
        calls.add(call);
        events.add("invite " + call.requestUser());
        AtomicReference<Dialog> bRef = new AtomicReference<>();
        AtomicReference<Dialog> aRef = new AtomicReference<>();
        DialogListener aListener = new DialogListener() {
            @Override
            public CompletionStage<String> onReInvite(Dialog d, String offer) {
                events.add("A reinvite");
                Dialog b = bRef.get();
                return b == null ? CompletableFuture.completedFuture(d.localSdp()) : b.reinvite(offer);
            }

            @Override
            public void onInfoDtmf(Dialog d, char digit, int durationMs) {
                dtmf.complete(digit + "/" + durationMs);
            }

            @Override
            public void onTerminated(Dialog d, TerminationReason reason) {
                events.add("A terminated " + reason);
                aTerminated.complete(reason);
                Dialog b = bRef.get();
                if (b != null) {
                    b.bye();
                }
            }
        };
        if (direct) {
            if (answerDirect) {
                call.answer(SDP_B, aListener).whenComplete((d, err) -> {
                    if (d != null) {
                        aRef.set(d);
                        aDialog.complete(d);
                    } else {
                        aDialog.completeExceptionally(err);
                    }
                });
            } else {
                call.ringing(null);
            }
            return;
        }
        call.ringing(null);
        DialogListener bListener = new DialogListener() {
            @Override
            public CompletionStage<String> onReInvite(Dialog d, String offer) {
                events.add("B reinvite");
                Dialog a = aRef.get();
                return a == null ? CompletableFuture.completedFuture(d.localSdp()) : a.reinvite(offer);
            }

            @Override
            public void onTerminated(Dialog d, TerminationReason reason) {
                events.add("B terminated " + reason);
                bTerminated.complete(reason);
                Dialog a = aRef.get();
                if (a != null) {
                    a.bye();
                }
            }
        };
        OutboundCall out = sip.placeCall(OutboundCallRequest.of(call.requestUser(), SDP_A),
                new OutboundCallListener() {
                    @Override
                    public void onProvisional(OutboundCall c, int status, String sdp) {
                        events.add("B " + status);
                    }

                    @Override
                    public void onAnswered(OutboundCall c, Dialog dialog, String sdp) {
                        events.add("B answered");
                        bRef.set(dialog);
                        call.answer(sdp, aListener).whenComplete((d, err) -> {
                            if (d != null) {
                                aRef.set(d);
                                aDialog.complete(d);
                            } else {
                                aDialog.completeExceptionally(err);
                                dialog.bye();
                            }
                        });
                    }

                    @Override
                    public void onFailed(OutboundCall c, int status, String reason) {
                        events.add("B failed " + status);
                        bFailed.complete(status);
                        call.reject(status == 487 ? 487 : status, reason);
                    }
                }, bListener);
        call.cancelled().thenRun(() -> {
            events.add("A cancelled");
            out.cancel();
        });
    }
}
