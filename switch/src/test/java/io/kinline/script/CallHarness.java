package io.kinline.script;

import io.kinline.ivr.CallEvent;
import io.kinline.ivr.CallEvents;
import io.kinline.ivr.FakeEndpoint;
import io.kinline.ivr.Leg;
import io.kinline.ivr.Simulation;
import io.kinline.media.Bridge;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.prompt.Playlist;
import io.kinline.policy.FacilityRules;
import io.kinline.policy.InmateStatus;
import io.kinline.policy.PhoneSchedule;
import io.kinline.policy.Policy;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory implementations of the script's ports over simulated time: a facility, an inmate with
 * PIN 123456, a called party whose behaviour each test sets, and recorders for everything the script
 * does (prompts, steps, incidents, blocks, money, call records).
 */
class CallHarness implements CallControl, CallServices, CallObserver {

    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    /** Noon in Chicago on a Monday. */
    static final Instant NOON = Instant.parse("2026-03-02T18:00:00Z");
    static final String PIN = "123456";
    static final String HOME = "+15735550100";

    enum Called { ANSWERS, BUSY, FAILS, NEVER_ANSWERS }

    final Simulation sim = new Simulation(NOON);
    final CallEvents events = new CallEvents(sim.clock(), sim);
    final FakeEndpoint inmateEp = new FakeEndpoint(sim, Leg.INMATE, events);
    final FakeEndpoint calledEp = new FakeEndpoint(sim, Leg.CALLED, events);

    FacilityRules facility = FacilityRules.builder("scc").zone(ZONE).facilityNamePrompt("facility-south-central")
            .build();
    /** The facility's per-minute rate for numbers not in {@link #rates}. */
    BigDecimal rate = new BigDecimal("0.10");
    /** The facility's rate for a number's call type (local, interstate, international...), by number. */
    final Map<String, BigDecimal> rates = new HashMap<>();
    /** When set, the billing side holds at this rate whatever the script asked for (a broken port). */
    BigDecimal holdRate;
    Caller inmate = new Caller("i-1", null, InmateStatus.ACTIVE, null, PhoneSchedule.parse("07:00-22:00"),
            Path.of("/names/i-1.wav"));
    Called called = Called.ANSWERS;
    Duration answerAfter = Duration.ofSeconds(8);
    int failStatus = 503;
    String dialedUser = HOME;
    NumberStanding standing = new NumberStanding(true, false, List.of());
    Usage usage = Usage.NONE;
    Funds funds = new Funds(new BigDecimal("5.00"), Optional.empty());
    Instant pinLockedUntil;
    /** {@code id_pin}: the number that names {@link #inmate}; any other names nobody. */
    String inmateNumber = "1001";
    /** {@code id_pin}: the inmate's consecutive wrong PINs, as the store counts them. */
    int inmatePinFailures;
    /** {@code id_pin}: the numbers and PINs the script asked about, "number/pin". */
    final List<String> numberPinsAsked = new ArrayList<>();

    // recorders
    final List<String> steps = new ArrayList<>();
    final List<IncidentReport> incidents = new ArrayList<>();
    final List<String> blocksAdded = new ArrayList<>();
    final Map<String, Instant> locks = new HashMap<>();
    final List<Hold> reserved = new ArrayList<>();
    final List<String> ratesAsked = new ArrayList<>();
    final List<Hold> released = new ArrayList<>();
    final Map<Hold, Duration> settled = new HashMap<>();
    final List<CallResult> records = new ArrayList<>();
    final Set<String> legActions = new HashSet<>();
    final List<String> placed = new ArrayList<>();
    Path savedName;
    FakeBridge bridge;

    CallResult run() {
        CallStart start = new CallStart("call-1", "station-7", dialedUser, sim.now());
        return new InmateCallScript(start, events, this, this, this, Policy.standard()).run();
    }

    List<String> inmateHeard() {
        return inmateEp.heard();
    }

    List<String> calledHeard() {
        return calledEp.heard();
    }

    // ---- CallControl -----------------------------------------------------------------------

    @Override
    public MediaEndpoint inmate() {
        return inmateEp;
    }

    @Override
    public void placeCalledParty(String e164, Duration answerTimeout) {
        placed.add(e164);
        switch (called) {
            case ANSWERS -> {
                sim.after(Duration.ofSeconds(1), () -> events.post(new CallEvent.BLegProgress(180)));
                sim.after(answerAfter, () -> events.post(new CallEvent.BLegAnswered()));
            }
            case BUSY -> sim.after(Duration.ofSeconds(1), () -> events.post(new CallEvent.BLegFailed(486, "Busy Here")));
            case FAILS -> sim.after(Duration.ofSeconds(2),
                    () -> events.post(new CallEvent.BLegFailed(failStatus, "Service Unavailable")));
            case NEVER_ANSWERS -> sim.after(Duration.ofSeconds(1), () -> events.post(new CallEvent.BLegProgress(180)));
        }
    }

    @Override
    public MediaEndpoint calledParty() {
        return calledEp;
    }

    @Override
    public void cancelCalledParty() {
        legActions.add("cancel-called");
    }

    @Override
    public void hangupCalledParty() {
        legActions.add("bye-called");
    }

    @Override
    public void hangupInmate() {
        legActions.add("bye-inmate");
    }

    @Override
    public Bridge bridge() {
        if (bridge != null) {
            throw new AssertionError("bridged twice");
        }
        bridge = new FakeBridge();
        return bridge;
    }

    @Override
    public Path recordingPath() {
        return Path.of("/rec/call-1.wav");
    }

    /** Announcements take {@link FakeEndpoint#PROMPT} a prompt, then PlaybackDone on the inmate side. */
    final class FakeBridge implements Bridge {
        final List<List<String>> announced = new ArrayList<>();
        final List<Instant> announcedAt = new ArrayList<>();
        Path recording;
        boolean recordingStopped;
        boolean closed;

        @Override
        public MediaEndpoint inmateSide() {
            return inmateEp;
        }

        @Override
        public MediaEndpoint calledSide() {
            return calledEp;
        }

        @Override
        public void announce(Playlist playlist) {
            announced.add(FakeEndpoint.names(playlist));
            announcedAt.add(sim.now());
            sim.after(FakeEndpoint.PROMPT.multipliedBy(playlist.segments().size()),
                    () -> inmateEp.post(new MediaEvent.PlaybackDone(false)));
        }

        @Override
        public void startRecording(Path wavFile) {
            recording = wavFile;
        }

        @Override
        public void stopRecording() {
            recordingStopped = true;
        }

        @Override
        public long recordedMillis() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    // ---- CallServices ----------------------------------------------------------------------

    @Override
    public Optional<StationRules> station(String stationId) {
        return stationId.equals("station-7") ? Optional.of(new StationRules(stationId, facility)) : Optional.empty();
    }

    @Override
    public PinResult verifyPin(String facilityId, String pin, Instant now) {
        if (!pin.equals(PIN)) {
            return new PinResult.Rejected(pin.startsWith("123") ? inmate.id() : null);
        }
        if (pinLockedUntil != null && now.isBefore(pinLockedUntil)) {
            return new PinResult.Locked(inmate.id(), pinLockedUntil);
        }
        return new PinResult.Accepted(inmate);
    }

    @Override
    public PinResult verifyNumberAndPin(String facilityId, String number, String pin, Instant now) {
        numberPinsAsked.add(number + "/" + pin);
        if (!number.equals(inmateNumber)) {
            return new PinResult.Rejected(null);
        }
        if (pinLockedUntil != null && now.isBefore(pinLockedUntil)) {
            return new PinResult.Locked(inmate.id(), pinLockedUntil);
        }
        if (!pin.equals(PIN)) {
            return new PinResult.Rejected(inmate.id());
        }
        inmatePinFailures = 0;
        return new PinResult.Accepted(inmate);
    }

    @Override
    public Optional<Instant> inmatePinFailed(String inmateId, Instant now) {
        if (!inmateId.equals(inmate.id())) {
            throw new AssertionError("counted against " + inmateId);
        }
        if (++inmatePinFailures < facility.pinAttempts()) {
            return Optional.empty();
        }
        inmatePinFailures = 0;
        pinLockedUntil = now.plus(facility.pinLockout());
        return Optional.of(pinLockedUntil);
    }

    @Override
    public void lockPin(String facilityId, String inmateId, Instant until) {
        locks.put(inmateId, until);
    }

    @Override
    public Usage usage(String inmateId, Instant now) {
        return usage;
    }

    @Override
    public NumberStanding numberStanding(String facilityId, String inmateId, String number) {
        return standing;
    }

    @Override
    public BigDecimal ratePerMinute(String facilityId, String number) {
        ratesAsked.add(number);
        return rates.getOrDefault(number, rate);
    }

    @Override
    public Funds funds(String inmateId, String btn) {
        return funds;
    }

    /**
     * When set, the first hold is refused: another call (on this node or another) took the money between the
     * script's look at the funds and its hold, which then reads {@code fundsAfterRace}.
     */
    Funds fundsAfterRace;

    @Override
    public Hold reserve(Funding funding, String account, BigDecimal amount, BigDecimal ratePerMinute,
            String callId) {
        if (fundsAfterRace != null) {
            funds = fundsAfterRace;
            fundsAfterRace = null;
            throw new FundsTaken("reservation refused: the funds were taken by another call");
        }
        Hold r = new Hold("r-" + reserved.size(), funding, account, amount,
                holdRate != null ? holdRate : ratePerMinute);
        reserved.add(r);
        return r;
    }

    @Override
    public void release(Hold reservation) {
        released.add(reservation);
    }

    @Override
    public void settle(Hold reservation, Duration talked) {
        settled.put(reservation, talked);
    }

    @Override
    public void addKeypadBlock(String facilityId, String number, String callId) {
        blocksAdded.add(facilityId + ":" + number);
    }

    @Override
    public void recordIncident(IncidentReport incident) {
        incidents.add(incident);
    }

    @Override
    public Path nameRecordingPath(String inmateId) {
        return Path.of("/names/" + inmateId + "-new.wav");
    }

    @Override
    public void saveNamePrompt(String inmateId, Path wav) {
        savedName = wav;
    }

    @Override
    public void writeCallRecord(CallResult record) {
        records.add(record);
    }

    // ---- CallObserver ----------------------------------------------------------------------

    @Override
    public void onStep(String callId, Step step, String detail) {
        steps.add(step.code());
    }
}
