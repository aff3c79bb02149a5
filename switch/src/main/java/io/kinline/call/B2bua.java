package io.kinline.call;

import io.kinline.admin.ActiveCallView;
import io.kinline.admin.ActiveCalls;
import io.kinline.billing.Billing;
import io.kinline.evidence.Evidence;
import io.kinline.ivr.CallEvents;
import io.kinline.ivr.Leg;
import io.kinline.log.CallMdc;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEngine;
import io.kinline.media.MediaException;
import io.kinline.media.SdpException;
import io.kinline.policy.NumberPlan;
import io.kinline.policy.Policy;
import io.kinline.script.CallObserver;
import io.kinline.script.CallResult;
import io.kinline.script.CallStart;
import io.kinline.script.InmateCallScript;
import io.kinline.sip.Dialog;
import io.kinline.sip.InboundCall;
import io.kinline.sip.InboundCallHandler;
import io.kinline.sip.SipServer;
import io.kinline.sip.transport.RateLimitedLog;
import io.kinline.store.Station;
import io.kinline.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-to-back user agent: every admitted INVITE from a facility gateway becomes a {@link Call}
 * whose script runs on its own virtual thread.
 *
 * <p>The SIP layer has already done admission (allow-list, digest) and the concurrency cap (503 with
 * Retry-After) before a call reaches {@link #onInvite}. Here the calling station must be known (the
 * From user, provisioned through the admin API); an unknown one gets 403, and only a known one is charged
 * against the call-rate budget ({@link #screensCallers}). The station read here is the one the call uses to
 * its end (the call's services do not read it again).
 */
public final class B2bua implements InboundCallHandler, ActiveCalls, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(B2bua.class);
    /** How long shutdown waits for the calls it ended to send their BYEs and write their records. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /** How long we wait for the handset's ACK to our 200 OK before giving the call up. */
    private static final long ANSWER_WAIT_SECONDS = 40;

    private final SipServer sip;
    private final MediaEngine media;
    private final Store store;
    private final Billing billing;
    private final Path dataDir;
    private final Path recordingsDir;
    private final Evidence evidence;
    private final String callerId;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("call-", 0).factory());
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "call-timers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private volatile SecureMediaPolicy secureMedia = SecureMediaPolicy.DEFAULT;
    private final Timer setupTimer;
    private final CallMeters meters;
    private volatile Consumer<CallResult> onCallEnded = r -> { };
    private final RateLimitedLog unknownStationLog = new RateLimitedLog(log, 1000);
    private final RateLimitedLog forgedStationLog = new RateLimitedLog(log, 1000);
    private volatile GatewayStations gatewayStations = GatewayStations.open();
    private volatile GatewayNat gatewayNat = GatewayNat.none();

    /**
     * @param dataDir       where the calls' services keep recorded names ({@code <dataDir>/names})
     * @param recordingsDir where the calls record ({@code <recordingsDir>/<UTC day>/<callId>.wav})
     * @param evidence      seals every recording when its call ends (and says how recordings are stored)
     */
    /** SDES-SRTP per gateway ({@code sip.gateways.srtp}); set before the first call. */
    public B2bua secureMedia(SecureMediaPolicy policy) {
        this.secureMedia = policy;
        return this;
    }

    public B2bua(SipServer sip, MediaEngine media, Store store, Billing billing, Path dataDir, Path recordingsDir,
            Evidence evidence, String callerId, Clock clock, MeterRegistry metrics) {
        this.sip = sip;
        this.media = media;
        this.store = store;
        this.billing = billing;
        this.dataDir = dataDir;
        this.recordingsDir = recordingsDir;
        this.evidence = evidence;
        this.callerId = callerId;
        this.clock = clock;
        this.metrics = metrics;
        metrics.gauge("kinline_calls_active", active, Map::size);
        this.setupTimer = Timer.builder("kinline_call_answer_seconds")
                .description("INVITE arrival to the inmate leg confirmed (ACK)").register(metrics);
        this.meters = new CallMeters(metrics);
    }

    /** Called with every finished call's record (the demo and tests watch this). */
    public void onCallEnded(Consumer<CallResult> listener) {
        this.onCallEnded = listener == null ? r -> { } : listener;
    }

    /** Which stations each gateway may present (sip.gateways.stations); set before calls are taken. */
    public B2bua bindStations(GatewayStations binding) {
        this.gatewayStations = binding;
        return this;
    }

    /** The gateways behind NAT (sip.gateways.nat); set before calls are taken. */
    public B2bua natGateways(GatewayNat nat) {
        this.gatewayNat = nat;
        return this;
    }

    /** The station is looked up on the call's thread, before the call-rate budget is charged. */
    @Override
    public boolean screensCallers() {
        return true;
    }

    /** A From user as it may be logged: printable ASCII, at most 32 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 32));
        for (int i = 0; i < s.length() && b.length() < 32; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    @Override
    public void onInvite(InboundCall invite) {
        // On a SIP event loop: everything that may block (database, waiting for ACK) goes to the call's thread.
        try {
            calls.execute(() -> run(invite));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            invite.reject(503, "Shutting Down", Map.of("Retry-After", "30"));
        }
    }

    private void run(InboundCall invite) {
        // The call's own id, made here: it keys the start row, the hold, the record, the recording and the
        // live-call map. The peer's Call-ID is only stored: a handset chooses it and may replay it.
        String callId = UUID.randomUUID().toString();
        try (var mdc = CallMdc.open(callId)) {
            log.info("call {}: INVITE Call-ID {} from {}", callId, printable(invite.callId()), invite.source());
            runCall(invite, callId);
        }
    }

    private void runCall(InboundCall invite, String callId) {
        Call call = null;
        long t0 = System.nanoTime();
        try {
            String stationId = invite.fromUser();
            Optional<Station> station = stationId.isEmpty() ? Optional.empty() : store.facilities().station(stationId);
            if (station.isEmpty()) {
                // Before the call-rate budget is charged (screensCallers): a flood of forged stations must
                // not lock real handsets out, nor fill the log (at most a line a second; all are counted).
                unknownStationLog.warn("INVITE from unknown station '{}' at {}: 403", printable(stationId),
                        invite.source());
                invite.reject(403, "Unknown Station");
                count("rejected", "unknown_station");
                return;
            }
            if (station.get().kind() == Station.Kind.TABLET && !stationId.equals(invite.authenticatedUser())) {
                // A tablet is its credential: another station's (or a gateway's) digest user, or an
                // allow-listed address without one, does not make a call from it.
                unknownStationLog.warn("INVITE as tablet '{}' authenticated as '{}' at {}: 403", printable(stationId),
                        printable(String.valueOf(invite.authenticatedUser())), invite.source());
                invite.reject(403, "Tablet Not Authenticated");
                count("rejected", "tablet_not_authenticated");
                return;
            }
            String forged = gatewayStations.refusal(invite.source().getAddress(), invite.authenticatedUser(),
                    stationId);
            if (forged != null) {
                // An admitted gateway claiming a station that is not behind it (a segregation-unit device posing
                // as a general-population phone, to get its hours and rules): refused before the budget, no
                // call record (there was no call), and an incident for the investigators.
                forgedStationLog.warn("gateway {} at {} may not present station '{}': 403", forged, invite.source(),
                        stationId);
                invite.reject(403, "Station Not Allowed For Gateway");
                count("rejected", "station_not_allowed");
                stationNotAllowed(station.get(), forged, invite);
                return;
            }
            if (!invite.admit()) { // the call-rate budget is spent: 503 with Retry-After went out
                count("rejected", "call_rate");
                return;
            }
            CallEvents events = new CallEvents(clock);
            MediaEndpoint inmate;
            try {
                inmate = media.createEndpoint(callId, "inmate", events.listener(Leg.INMATE));
            } catch (MediaException e) {
                log.warn("no media port: {}", e.getMessage());
                invite.reject(503, "No Media Resources", Map.of("Retry-After", "5"));
                count("rejected", "no_media");
                return;
            }
            call = new Call(callId, invite.callId(), stationId, events, inmate, sip, media, billing, recordingsDir,
                    evidence.fileExtension(), callerId, blocking, timers, clock);
            call.facility = station.get().facilityId();
            inmate.sdesPolicy(secureMedia.policyFor(invite));
            String answer;
            boolean offerless = invite.remoteSdp() == null || invite.remoteSdp().isBlank();
            try {
                answer = offerless ? inmate.createOffer() : inmate.answer(invite.remoteSdp());
            } catch (SdpException e) {
                boolean srtp = e.noCommonCodec() && String.valueOf(e.getMessage()).startsWith("SRTP");
                invite.reject(e.noCommonCodec() ? 488 : 400, srtp ? "Not Acceptable Here - SRTP Required"
                        : e.noCommonCodec() ? "Not Acceptable Here - No Common Codec" : "Bad Request - Malformed SDP");
                count("rejected", e.noCommonCodec() ? "no_common_codec" : "bad_sdp");
                return;
            }
            if (gatewayNat.behindNat(invite.source().getAddress(), invite.authenticatedUser())) {
                invite.routeToSource();
            }
            Dialog dialog;
            try {
                dialog = invite.answer(answer, call.inmateListener()).toCompletableFuture()
                        .get(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.info("inmate leg not confirmed: {}", e.getCause() != null ? e.getCause() : e);
                count("rejected", "not_confirmed");
                return;
            }
            setupTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            call.inmateDialog(dialog);
            if (offerless && dialog.remoteSdp() != null) {
                inmate.applyAnswer(dialog.remoteSdp());
            }
            active.put(callId, call);
            Call c = call;
            // The station just read is handed on: the script's station() answers from it, not from a second
            // read (the call uses the station as it was at off-hook).
            var services = new StoreCallServices(callId, store, billing, dataDir, station.get(), c::inmateStatistics,
                    c::calledStatistics).sealRecordingsWith(evidence).sipCallIds(c.sipCallId, c::trunkCallId);
            // From here the call ends with a record: the normal one, or after a crash the one the startup
            // reconcile writes from this start row (the first prompt comes right after).
            services.started(c.startedAt);
            CallStart start = new CallStart(callId, stationId, NumberPlan.dialledInInvite(invite.requestUser()),
                    c.startedAt);
            CallResult record = new InmateCallScript(start, events, c, services, observer(c), Policy.standard())
                    .run();
            count(record.outcome().code(), record.reason());
            onCallEnded.accept(record);
        } catch (RuntimeException | SdpException e) {
            log.error("call failed", e);
        } finally {
            if (call != null) {
                call.cleanup();
                active.remove(callId);
            }
        }
    }

    private void stationNotAllowed(Station station, String gateway, InboundCall invite) {
        try {
            store.incidents().record(io.kinline.store.Incident.of(station.facilityId(), null, null,
                    io.kinline.store.Incident.Type.STATION_NOT_ALLOWED, clock.instant(),
                    "gateway " + gateway + " at " + invite.source().getAddress().getHostAddress() + " presented station "
                            + station.id() + " (SIP Call-ID " + printable(invite.callId()) + ")"));
        } catch (RuntimeException e) {
            log.warn("cannot record the station_not_allowed incident", e);
        }
    }

    private CallObserver observer(Call call) {
        // The step in progress and when it began: touched only on the call's thread, like the observer.
        CallObserver.Step[] current = {null};
        long[] since = {0};
        return (callId, step, detail) -> {
            log.info("{} {}", step.code(), detail);
            long now = System.nanoTime();
            if (current[0] != null) {
                meters.stepTook(current[0], now - since[0]);
            }
            current[0] = step == CallObserver.Step.ENDED ? null : step;
            since[0] = now;
            switch (step) {
                case DIALING -> {
                    call.state = CallState.DIALING;
                    call.dialed = detail;
                }
                case PIN_OK -> {
                    call.state = CallState.NUMBER_LOOKUP;
                    call.inmateId = detail.isEmpty() ? null : detail;
                }
                case DENIED -> call.state = CallState.DENIED;
                case RINGING -> call.state = CallState.RINGING;
                case GREETING -> call.state = CallState.GREETING;
                case ACCEPTED -> call.state = CallState.TALKING;
                case TALKING -> {
                    call.state = CallState.TALKING;
                    call.talking = new Call.Talking("privileged".equals(detail));
                }
                case ENDED -> call.state = CallState.DONE;
                default -> {
                }
            }
        };
    }

    private void count(String outcome, String reason) {
        meters.ended(outcome, reason);
    }

    @Override
    public List<ActiveCallView> list() {
        List<ActiveCallView> out = new ArrayList<>(active.size());
        for (Call c : active.values()) {
            Call.Talking talking = c.talking;
            out.add(new ActiveCallView(c.callId, c.facility, c.stationId, c.inmateId, c.dialed, c.state.wireName(),
                    c.startedAt, c.acceptedAt, talking != null && talking.privileged(), c.sipCallId));
        }
        return out;
    }

    /** The live call with this id (the switch's, not a SIP Call-ID), or null (for {@link LiveMonitor}). */
    Call live(String callId) {
        return active.get(callId);
    }

    /** The SRTP counters of a live call's inmate leg ("SRTP in n ok, m dropped; ..."), or null when plain or gone. */
    public String secureMedia(String callId) {
        Call c = active.get(callId);
        return c == null ? null : c.inmate().secureMedia();
    }

    public int activeCount() {
        return active.size();
    }

    /**
     * Ends every call in progress and waits for their records. Each script is interrupted: it cuts the
     * call off ({@code cut_off/shutdown}), sends BYE on both legs, settles what was talked and writes its
     * record. So the SIP server must still be open here; {@link io.kinline.KinlineSwitch} closes it after.
     */
    @Override
    public void close() {
        int open = active.size();
        calls.shutdownNow();
        boolean ended = false;
        try {
            ended = calls.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        blocking.shutdown();
        if (ended) {
            log.info("shutdown: ended {} call(s) in progress", open);
        } else {
            log.warn("shutdown: ended {} call(s) in progress; {} had not written their records after {} s "
                    + "(the next start reconciles them)", open, active.size(), SHUTDOWN_GRACE.toSeconds());
        }
    }
}
