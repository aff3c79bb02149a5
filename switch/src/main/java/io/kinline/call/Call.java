package io.kinline.call;

import io.kinline.billing.Billing;
import io.kinline.ivr.CallEvent;
import io.kinline.ivr.CallEvents;
import io.kinline.ivr.Leg;
import io.kinline.media.Bridge;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEngine;
import io.kinline.media.MediaEvent;
import io.kinline.media.MediaException;
import io.kinline.media.RtpStatistics;
import io.kinline.media.SdpException;
import io.kinline.media.dtmf.DigitSource;
import io.kinline.script.CallControl;
import io.kinline.sip.Dialog;
import io.kinline.sip.DialogListener;
import io.kinline.sip.DialogState;
import io.kinline.sip.OutboundCall;
import io.kinline.sip.OutboundCallListener;
import io.kinline.sip.OutboundCallRequest;
import io.kinline.sip.SipFailure;
import io.kinline.sip.SipServer;
import io.kinline.sip.TerminationReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call through the B2BUA: the inmate's leg (A, already answered) and the called party's leg (B,
 * placed by the script), each with its own SIP dialog and RTP endpoint.
 *
 * <p>The script drives it from the call's virtual thread through {@link CallControl}. SIP and media
 * callbacks arrive on event loops and only post to the call's {@link CallEvents} queue.
 */
final class Call implements CallControl {

    private static final Logger log = LoggerFactory.getLogger(Call.class);

    /** How often an accepted call tells billing it is still alive, so a crash loses at most this much talk time. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    /** The switch's id of the call (a UUID): the key of everything the call leaves behind. */
    final String callId;
    /** The SIP Call-ID of the inmate leg's INVITE: stored and shown, never a key. */
    final String sipCallId;
    final String stationId;
    final Instant startedAt;
    private final CallEvents events;
    private final SipServer sip;
    private final MediaEngine media;
    private final Billing billing;
    private final Path recordingsDir;
    private final String recordingExtension;
    private final String callerId;
    private final Executor blocking;
    private final ScheduledExecutorService timers;
    private final Clock clock;

    final MediaEndpoint inmate;
    private volatile Dialog inmateDialog;
    private volatile MediaEndpoint called;
    private volatile OutboundCall outbound;
    private volatile Dialog calledDialog;
    private volatile Bridge bridge;
    private volatile ScheduledFuture<?> heartbeat;

    // Live view for GET /api/calls.
    volatile CallState state = CallState.OFFHOOK;
    volatile String facility;
    volatile String inmateId;
    volatile String dialed;
    volatile Instant acceptedAt;
    /** Set once, when the script reports the talking step: the bridge may be monitored, unless privileged. */
    volatile Talking talking;

    /**
     * The talking step and what it says about the call, published as one value, so whoever sees that the
     * call talks sees whether it is privileged too.
     */
    record Talking(boolean privileged) {
    }

    Call(String callId, String sipCallId, String stationId, CallEvents events, MediaEndpoint inmate, SipServer sip, MediaEngine media,
            Billing billing, Path recordingsDir, String recordingExtension, String callerId, Executor blocking,
            ScheduledExecutorService timers, Clock clock) {
        this.callId = callId;
        this.sipCallId = sipCallId;
        this.stationId = stationId;
        this.events = events;
        this.inmate = inmate;
        this.sip = sip;
        this.media = media;
        this.billing = billing;
        this.recordingsDir = recordingsDir;
        this.recordingExtension = recordingExtension;
        this.callerId = callerId;
        this.blocking = blocking;
        this.timers = timers;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** The SIP Call-ID of the called leg the switch placed, or null before it is placed. */
    String trunkCallId() {
        OutboundCall o = outbound;
        return o == null ? null : o.callId();
    }

    void inmateDialog(Dialog d) {
        this.inmateDialog = d;
    }

    /** The inmate leg's dialog events. */
    DialogListener inmateListener() {
        return new LegListener(Leg.INMATE) {
            @Override
            MediaEndpoint endpoint() {
                return inmate;
            }
        };
    }

    /** Dialog events of one leg, turned into call events. Runs on a SIP event loop: post only. */
    private abstract class LegListener implements DialogListener {
        private final Leg leg;

        LegListener(Leg leg) {
            this.leg = leg;
        }

        abstract MediaEndpoint endpoint();

        @Override
        public CompletionStage<String> onReInvite(Dialog dialog, String offer) {
            return refresh(offer);
        }

        @Override
        public CompletionStage<String> onUpdate(Dialog dialog, String offer) {
            return refresh(offer);
        }

        private CompletionStage<String> refresh(String offer) {
            MediaEndpoint ep = endpoint();
            if (ep == null) {
                return CompletableFuture.failedFuture(new SipFailure(488, "No media session"));
            }
            if (offer == null) {
                return CompletableFuture.completedFuture(ep.createOffer());
            }
            try {
                return CompletableFuture.completedFuture(ep.answer(offer)); // hold, unhold, new address
            } catch (SdpException e) {
                return CompletableFuture.failedFuture(
                        new SipFailure(e.noCommonCodec() ? 488 : 400, e.noCommonCodec()
                                ? "Not Acceptable Here" : "Bad SDP"));
            }
        }

        @Override
        public void onInfoDtmf(Dialog dialog, char digit, int durationMs) {
            events.post(new CallEvent.Media(leg, new MediaEvent.Digit(digit, DigitSource.SIP_INFO,
                    System.currentTimeMillis())));
        }

        @Override
        public void onTerminated(Dialog dialog, TerminationReason reason) {
            if (reason != TerminationReason.LOCAL_BYE) {
                events.post(new CallEvent.Hangup(leg, reason.description()));
            }
        }
    }

    // ---- CallControl, called from the call's virtual thread ----------------------------------

    @Override
    public MediaEndpoint inmate() {
        return inmate;
    }

    @Override
    public void placeCalledParty(String e164, Duration answerTimeout) {
        MediaEndpoint ep;
        try {
            ep = media.createEndpoint(callId, "called", events.listener(Leg.CALLED));
        } catch (MediaException e) {
            log.warn("no media port for the called leg: {}", e.getMessage());
            events.post(new CallEvent.BLegFailed(503, "No media resources"));
            return;
        }
        called = ep;
        LegListener dialogListener = new LegListener(Leg.CALLED) {
            @Override
            MediaEndpoint endpoint() {
                return called;
            }
        };
        OutboundCallRequest request = OutboundCallRequest.of(e164, ep.createOffer()).withCallerId(callerId);
        outbound = sip.placeCall(request, new OutboundCallListener() {
            @Override
            public void onProvisional(OutboundCall call, int status, String sdp) {
                events.post(new CallEvent.BLegProgress(status));
            }

            @Override
            public void onAnswered(OutboundCall call, Dialog dialog, String sdp) {
                calledDialog = dialog;
                try {
                    ep.applyAnswer(sdp);
                } catch (SdpException e) {
                    log.warn("called party's answer is unusable: {}", e.getMessage());
                    dialog.bye();
                    events.post(new CallEvent.BLegFailed(488, "Unusable SDP answer"));
                    return;
                }
                events.post(new CallEvent.BLegAnswered());
            }

            @Override
            public void onFailed(OutboundCall call, int status, String reason) {
                events.post(new CallEvent.BLegFailed(status, reason));
            }
        }, dialogListener);
    }

    @Override
    public MediaEndpoint calledParty() {
        return called;
    }

    @Override
    public void cancelCalledParty() {
        OutboundCall o = outbound;
        if (o != null) {
            o.cancel();
        }
    }

    @Override
    public void hangupCalledParty() {
        Dialog d = calledDialog;
        if (d != null) {
            d.bye();
        } else {
            cancelCalledParty();
        }
    }

    @Override
    public void hangupInmate() {
        Dialog d = inmateDialog;
        if (d != null) {
            d.bye();
        }
    }

    @Override
    public Bridge bridge() {
        Bridge b = media.bridge(inmate, called);
        bridge = b;
        Instant now = clock.instant();
        acceptedAt = now;
        // Billing starts at acceptance; heartbeats bound what a crash can lose.
        blocking.execute(() -> safely("accepted", () -> billing.accepted(callId, now)));
        heartbeat = timers.scheduleAtFixedRate(
                () -> blocking.execute(() -> safely("heartbeat", () -> billing.heartbeat(callId, clock.instant()))),
                HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        return b;
    }

    @Override
    public Path recordingPath() {
        Path file = CrashRecordings.path(recordingsDir, startedAt, callId, recordingExtension);
        try {
            io.kinline.media.files.PrivateFiles.createDirectories(file.getParent()); // 0700, as the recordings
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file.getParent(), e);
        }
        return file;
    }

    /** The live bridge, or null before the parties are connected (for {@link LiveMonitor}). */
    Bridge liveBridge() {
        return bridge;
    }

    RtpStatistics inmateStatistics() {
        return inmate.isClosed() ? null : inmate.statistics();
    }

    RtpStatistics calledStatistics() {
        MediaEndpoint c = called;
        return c == null || c.isClosed() ? null : c.statistics();
    }

    /** Releases everything the call holds; safe to call more than once. */
    void cleanup() {
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        // The script hangs up the legs it still considers up. A leg whose media timed out is down
        // for the script (CallEvents marks it ended) while its SIP dialog is still confirmed: without
        // a BYE here that phone or trunk channel would stay off-hook until its session timer.
        byeIfUp("called", calledDialog);
        byeIfUp("inmate", inmateDialog);
        Bridge b = bridge;
        if (b != null) {
            safely("bridge", b::close);
        }
        MediaEndpoint c = called;
        if (c != null) {
            safely("called endpoint", c::close);
        }
        safely("inmate endpoint", inmate::close);
    }

    private void byeIfUp(String leg, Dialog d) {
        if (d != null && d.state() != DialogState.TERMINATED) {
            log.info("call {}: {} leg still up after the script ended: BYE", callId, leg);
            safely(leg + " BYE", d::bye);
        }
    }

    private void safely(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("call {}: {} failed: {}", callId, what, e.toString());
        }
    }
}
