package io.kinline.call;

import io.kinline.billing.Billing;
import io.kinline.billing.CallClassifier;
import io.kinline.billing.FundingSource;
import io.kinline.billing.ReserveRequest;
import io.kinline.billing.ReserveResult;
import io.kinline.cluster.ClusterNodes;
import io.kinline.evidence.Evidence;
import io.kinline.media.RtpStatistics;
import io.kinline.media.record.RecordingQuality;
import io.kinline.policy.ActiveBlock;
import io.kinline.policy.BlockType;
import io.kinline.policy.FacilityRules;
import io.kinline.policy.InmateStatus;
import io.kinline.policy.PhoneSchedule;
import io.kinline.script.CallResult;
import io.kinline.script.CallServices;
import io.kinline.store.Funding;
import io.kinline.script.Funds;
import io.kinline.script.IncidentReport;
import io.kinline.script.Caller;
import io.kinline.script.NumberStanding;
import io.kinline.script.PinResult;
import io.kinline.script.Hold;
import io.kinline.script.StationRules;
import io.kinline.script.Usage;
import io.kinline.store.CallOutcome;
import io.kinline.store.Facility;
import io.kinline.store.HousingUnit;
import io.kinline.store.LegQuality;
import io.kinline.store.RecordingFidelity;
import io.kinline.store.PhoneHours;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's view of the store and billing, as the call script asks for it.
 *
 * <p>Per call, because it remembers the call's facility (for time zones and rates) and reaches the
 * call's media legs for the RTP quality in the call record. All methods run on the call's virtual
 * thread and may block on the database.
 *
 * <p>Money moves only through {@link Billing}: the script's {@link #settle} is noted, and the charge,
 * the release of the hold and the call record are written together by {@link Billing#settle} when
 * the script writes its record, so a crash between them cannot charge without a record or record
 * without a charge.
 *
 * <p>The call's durable trace before it has a reservation is its start row ({@link #started}, named
 * with the inmate by {@link #verifyPin}); writing the record removes it, in the record's transaction.
 */
final class StoreCallServices implements CallServices {

    private static final Logger log = LoggerFactory.getLogger(StoreCallServices.class);

    private final String callId;
    private final Store store;
    private final Billing billing;
    private final Path dataDir;
    private final Supplier<RtpStatistics> inmateStats;
    private final Supplier<RtpStatistics> calledStats;
    /** The station as the B2BUA found it at off-hook, or null to read it when the script asks. */
    private final io.kinline.store.Station atOffhook;
    private Facility facility;
    private String stationId;
    /** Who calls whom, from {@link #funds}: kept on the reservation so a crash record names them. */
    private String inmateId;
    private String dialed;
    /** Seals the call's recording before its record names it; null: records are written unsealed (tests). */
    private Evidence evidence;
    /** The legs' SIP Call-IDs, stored with the call (searchable), never its key; null when not given (tests). */
    private String sipCallId;
    private Supplier<String> trunkCallId = () -> null;

    StoreCallServices(String callId, Store store, Billing billing, Path dataDir, Supplier<RtpStatistics> inmateStats,
            Supplier<RtpStatistics> calledStats) {
        this(callId, store, billing, dataDir, null, inmateStats, calledStats);
    }

    /**
     * @param atOffhook the calling station as the B2BUA read it to admit the INVITE: {@link #station} answers
     *                  from it instead of reading it again, so the call uses the station as it was at
     *                  off-hook (one deleted or moved since does not change a call already admitted); null
     *                  to read the station when the script asks
     */
    StoreCallServices(String callId, Store store, Billing billing, Path dataDir, io.kinline.store.Station atOffhook,
            Supplier<RtpStatistics> inmateStats, Supplier<RtpStatistics> calledStats) {
        this.callId = callId;
        this.atOffhook = atOffhook;
        this.store = store;
        this.billing = billing;
        this.dataDir = dataDir;
        this.inmateStats = inmateStats;
        this.calledStats = calledStats;
    }

    /**
     * Notes in the store that this call has started, before the script's first prompt, so that a switch
     * killed while the inmate is in the IVR (before any reservation) still leaves a call record: the
     * startup reconcile writes it from this row. The record's write removes the row. One insert on the
     * call's virtual thread, no read: the station and its facility are those the B2BUA admitted. A failure
     * is logged and the call goes on: it still gets its record at the end, it is only not covered against a
     * crash.
     */
    void started(Instant at) {
        if (atOffhook == null) {
            throw new IllegalStateException("the call's start needs the station admitted at off-hook");
        }
        try {
            store.calls().started(StartedCall.of(callId, atOffhook.facilityId(), atOffhook.id(), at)
                    .withSipCallId(sipCallId));
        } catch (RuntimeException e) {
            log.warn("cannot note the start of the call: a crash before its end would leave no record", e);
        }
    }

    /**
     * The station and its facility's rules. The station the B2BUA admitted is not read again (see the
     * constructor); its facility (kept for rates, time zones and the reservation) and housing units are read
     * here, once per call.
     */
    @Override
    public Optional<StationRules> station(String id) {
        var station = atOffhook != null && atOffhook.id().equals(id) ? Optional.of(atOffhook)
                : store.facilities().station(id);
        if (station.isEmpty()) {
            return Optional.empty();
        }
        facility = store.facilities().get(station.get().facilityId()).orElse(null);
        if (facility == null) {
            return Optional.empty();
        }
        stationId = id;
        return Optional.of(new StationRules(id, rules(facility)));
    }

    /** Maps the stored facility settings onto the rules the script and policy read. */
    FacilityRules rules(Facility f) {
        List<HousingUnit> units = store.facilities().units(f.id());
        HousingUnit seg = units.stream().filter(HousingUnit::segregation).findFirst().orElse(null);
        FacilityRules.Builder b = FacilityRules.builder(f.id())
                .facilityNamePrompt(f.namePrompt())
                .zone(f.timezone())
                .defaultLanguage(f.defaultLanguage())
                .languageMenu(f.languageMenu())
                .secondLanguage("en".equals(f.defaultLanguage()) ? "es" : "en")
                .homeNpa(f.localNpas().isEmpty() ? null : f.localNpas().get(0))
                .pinLength(f.pinLength())
                .pinAttempts(f.pinMaxAttempts())
                .pinLockout(Duration.ofMinutes(f.pinLockMinutes()))
                .maxCallLength(Duration.ofMinutes(f.maxCallMinutes()))
                .callsPerDay(f.callsPerDay())
                .monthlyMinutes(f.monthlyMinutes() == null ? 0 : f.monthlyMinutes())
                .cooldown(Duration.ofSeconds(f.cooldownSeconds()))
                .requireApprovedList(f.approvedListRequired())
                .allowInternational(f.allowInternational())
                .answerTimeout(Duration.ofSeconds(f.answerTimeoutSeconds()))
                .consentRepeats(f.consentRepeats())
                .consentDuringNotice(f.consentDuringNotice())
                .reminderInterval(Duration.ofMinutes(f.reminderMinutes()))
                .warningBefore(Duration.ofSeconds(f.warningSeconds()))
                .threeWayAction(FacilityRules.ThreeWayAction.valueOf(f.threeWay().name()))
                .idPin(f.identification() == Facility.Identification.ID_PIN);
        if (seg != null && seg.segregationHours() != null) {
            b.segregationHours(schedule(seg.segregationHours()));
            if (seg.segregationCallsPerDay() != null) {
                b.segregationCallsPerDay(seg.segregationCallsPerDay());
            }
        }
        return b.build();
    }

    private static PhoneSchedule schedule(PhoneHours h) {
        return PhoneSchedule.parse(h.startText() + "-" + h.endText());
    }

    @Override
    public PinResult verifyPin(String facilityId, String pin, Instant now) {
        var found = store.inmates().findByPin(facilityId, pin);
        if (found.isEmpty()) {
            return new PinResult.Rejected(null);
        }
        return identified(found.get(), now);
    }

    /**
     * {@code id_pin}: the number names the inmate, the PIN is checked against them only. A locked inmate is
     * {@link PinResult.Locked} whatever PIN was keyed, so that a right PIN tells a guesser nothing.
     */
    @Override
    public PinResult verifyNumberAndPin(String facilityId, String number, String pin, Instant now) {
        var found = store.inmates().findByNumber(facilityId, number, pin);
        var in = found.inmate();
        if (in == null) {
            return new PinResult.Rejected(null);
        }
        if (!found.pinMatches() && !in.pinLockedAt(now)) {
            nameOnStartRow(in.id());
            return new PinResult.Rejected(in.id());
        }
        return identified(in, now);
    }

    @Override
    public Optional<Instant> inmatePinFailed(String inmateId, Instant now) {
        if (facility == null) {
            return Optional.empty();
        }
        try {
            var in = store.inmates().recordPinFailure(inmateId, facility.pinMaxAttempts(),
                    Duration.ofMinutes(facility.pinLockMinutes()), now);
            if (in.pinLockedAt(now) && in.pinFailures() == 0) {
                log.warn("inmate {} PIN locked until {}", inmateId, in.pinLockedUntil());
                return Optional.of(in.pinLockedUntil());
            }
        } catch (io.kinline.store.NotFoundException e) {
            // removed while the call was in the IVR: nothing to count
        }
        return Optional.empty();
    }

    private void nameOnStartRow(String inmateId) {
        try {
            store.calls().identified(callId, inmateId);
        } catch (RuntimeException e) {
            log.warn("cannot name inmate {} on the call's start row", inmateId, e);
        }
    }

    /** A PIN (or number and PIN) named {@code in}: locked, or accepted with what the call needs of them. */
    private PinResult identified(io.kinline.store.Inmate in, Instant now) {
        // The PIN names the caller: put them on the call's start row, so that a crash from here on leaves a
        // record that says who was calling (a locked PIN too, investigators want those). Worth its one
        // update: entering the number can take many seconds, and the reservation, which names the inmate
        // too, is written only after the number and the policy checks. The number itself gets no write of
        // its own: from the moment it is known until the reservation carries it there are only reads.
        nameOnStartRow(in.id());
        if (in.pinLockedAt(now)) {
            return new PinResult.Locked(in.id(), in.pinLockedUntil());
        }
        if (in.pinFailures() > 0) {
            store.inmates().resetPinFailures(in.id());
        }
        HousingUnit unit = in.housingUnitId() == null ? null
                : store.facilities().unit(in.housingUnitId()).orElse(null);
        PhoneHours hours = unit != null ? unit.effectiveHours(facility) : facility.phoneHours();
        Path name = in.namePromptPath() == null ? null : Path.of(in.namePromptPath());
        if (name != null && !Files.isRegularFile(name)) {
            name = null; // a recording lost from disk is asked for again
        }
        var status = switch (in.statusAt(now)) {
            case ACTIVE -> InmateStatus.ACTIVE;
            case RESTRICTED -> InmateStatus.RESTRICTED;
            case SEGREGATION -> InmateStatus.SEGREGATION;
        };
        return new PinResult.Accepted(new Caller(in.id(), in.language(), status, in.statusUntil(),
                schedule(hours), name));
    }

    /**
     * Wrong PINs at a station count towards its lock while each comes within this long of the one before:
     * a guesser pausing between calls still adds up, a station whose occasional typo is hours apart does not.
     */
    static final Duration PIN_FAILURE_WINDOW = Duration.ofHours(1);

    @Override
    public Optional<Instant> stationPinLockedUntil(Instant now) {
        return atOffhook == null ? Optional.empty() : store.pinLocks().stationLockedUntil(atOffhook.id(), now);
    }

    @Override
    public Optional<Instant> stationPinFailed(Instant now) {
        if (atOffhook == null || facility == null) {
            return Optional.empty();
        }
        var guard = store.pinLocks().stationFailed(atOffhook.id(), facility.pinMaxAttempts(), PIN_FAILURE_WINDOW,
                Duration.ofMinutes(facility.pinLockMinutes()), now);
        if (guard.lockedAt(now) && guard.failures() == 0 && now.equals(guard.lastFailureAt())) {
            log.warn("station {} locked out of PIN entry until {}", atOffhook.id(), guard.lockedUntil());
            return Optional.of(guard.lockedUntil());
        }
        return Optional.empty();
    }

    @Override
    public void stationPinSucceeded() {
        if (atOffhook != null) {
            store.pinLocks().stationSucceeded(atOffhook.id());
        }
    }

    @Override
    public void lockPin(String facilityId, String inmateId, Instant until) {
        if (inmateId == null) {
            return; // wrong PINs that match nobody: the incident is the record of it
        }
        // recordPinFailure reads the row under lock itself: no separate look-up first. With one
        // attempt allowed it locks at once, until 'until'.
        Instant now = Instant.now();
        try {
            store.inmates().recordPinFailure(inmateId, 1, Duration.between(now, until), now);
        } catch (io.kinline.store.NotFoundException e) {
            // the inmate was removed while the call was in the IVR: nothing to lock
        }
    }

    /**
     * The inmate's calls today, minutes this month and last call's end, from the call records (written by any
     * node), plus the inmate's other calls in progress on any running node: each counts as a call today, and
     * as a call that ends now for the cool-down. Claiming is atomic per inmate across nodes (see
     * {@code CallRecords.claimUsage}), so of two calls placed at the same instant the second sees the first.
     */
    @Override
    public Usage usage(String inmateId, Instant now) {
        var calls = store.calls();
        int inProgress = 0;
        try {
            inProgress = calls.claimUsage(callId, inmateId, now, Instant.now().minus(ClusterNodes.LIVE));
        } catch (RuntimeException e) {
            log.warn("cannot count the inmate's other calls in progress: limits see the records only", e);
        }
        Instant lastEnd = inProgress > 0 ? now : calls.lastCallEnd(inmateId).orElse(null);
        return new Usage(calls.callsToday(inmateId, facility.timezone(), now) + inProgress,
                Duration.ofMinutes(calls.minutesThisMonth(inmateId, facility.timezone(), now)), lastEnd);
    }

    @Override
    public NumberStanding numberStanding(String facilityId, String inmateId, String number) {
        boolean approved = store.inmates().isApproved(inmateId, number);
        boolean privileged = store.numbers().findPrivileged(facilityId, number).isPresent();
        List<ActiveBlock> blocks = store.blocks().findActive(facilityId, inmateId, number).stream()
                .map(b -> new ActiveBlock(BlockType.valueOf(b.type().name()), b.note()))
                .toList();
        return new NumberStanding(approved, privileged, blocks);
    }

    /**
     * The rate of the number's call type at the facility as {@link #station} read it, the snapshot the
     * call's rules came from. The script keeps this one value for the quote and passes it to
     * {@link #reserve}, so a rate edited during the call changes neither.
     */
    @Override
    public BigDecimal ratePerMinute(String facilityId, String number) {
        Facility f = facility != null && facility.id().equals(facilityId) ? facility
                : store.facilities().get(facilityId).orElseThrow(() -> new IllegalStateException(
                        "no facility " + facilityId));
        return CallClassifier.rateFor(number, f);
    }

    @Override
    public Funds funds(String inmateId, String btn) {
        this.inmateId = inmateId;
        this.dialed = btn;
        BigDecimal debit = store.accounts().debit(inmateId).map(a -> a.available()).orElse(BigDecimal.ZERO);
        Optional<BigDecimal> prepaid = btn == null ? Optional.empty()
                : store.accounts().prepaid(btn).map(a -> a.available());
        return new Funds(debit, prepaid);
    }

    @Override
    public Hold reserve(Funding funding, String account, BigDecimal amount, BigDecimal rate,
            String callId) {
        // The reservation keeps the rate the script quoted and sized the hold with; settlement and
        // reconciliation after a crash charge the reservation's rate, so all of them are one value.
        FundingSource source = funding == Funding.PREPAID ? FundingSource.prepaid(account)
                : FundingSource.debit(account);
        int maxSeconds = rate.signum() == 0 ? facility.maxCallMinutes() * 60
                : amount.divide(rate, 0, RoundingMode.DOWN).intValueExact() * 60;
        var result = billing.reserve(new ReserveRequest(callId, source, Math.max(60, maxSeconds), rate,
                facility.billingRoundingSeconds(), facility.id(), stationId, inmateId,
                funding == Funding.PREPAID ? account : dialed));
        if (result instanceof ReserveResult.Reserved r) {
            var held = r.reservation();
            return new Hold(Long.toString(held.id()), funding, account, held.amount(), held.rate());
        }
        if (result instanceof ReserveResult.InsufficientFunds) {
            // Another call on the same account, on any node, took the funds between the check and the hold.
            throw new CallServices.FundsTaken("reservation refused: " + result);
        }
        throw new IllegalStateException("reservation refused: " + result);
    }

    @Override
    public void release(Hold reservation) {
        billing.release(callId);
    }

    @Override
    public void settle(Hold reservation, Duration talked) {
        // Charged by Billing.settle together with the call record: see writeCallRecord.
    }

    @Override
    public void addKeypadBlock(String facilityId, String number, String callId) {
        store.blocks().add(io.kinline.store.Block.of(number, facilityId, io.kinline.store.Block.Type.KEYPAD, null,
                "called-party", Instant.now(), "set by the called party from the consent menu on call " + callId));
    }

    @Override
    public void recordIncident(IncidentReport incident) {
        io.kinline.store.Incident.Type type;
        try {
            type = io.kinline.store.Incident.Type.valueOf(incident.type().name());
        } catch (IllegalArgumentException e) {
            type = io.kinline.store.Incident.Type.OTHER;
        }
        StringBuilder details = new StringBuilder();
        String detail = incident.detail() == null ? "" : incident.detail();
        String number = incident.number();
        if (number != null && detail.equals(number)) {
            detail = ""; // a denial whose detail is the number (toll-free): say it once, labelled, below
        }
        details.append(detail);
        if (number != null && !detail.contains(number)) {
            details.append(details.isEmpty() ? "" : "; ").append("number ").append(number);
        }
        if (incident.stationId() != null) {
            details.append(details.isEmpty() ? "" : "; ").append("station ").append(incident.stationId());
        }
        store.incidents().record(io.kinline.store.Incident.of(incident.facilityId(), incident.inmateId(),
                incident.callId(), type, incident.at(), details.toString()));
    }

    @Override
    public Path nameRecordingPath(String inmateId) {
        Path dir = dataDir.resolve("names");
        try {
            io.kinline.media.files.PrivateFiles.createDirectories(dir); // an inmate's voice: owner only
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(safe(inmateId) + ".wav");
    }

    @Override
    public void saveNamePrompt(String inmateId, Path wav) {
        store.inmates().get(inmateId).ifPresent(in ->
                store.inmates().update(in.withNamePromptPath(wav.toAbsolutePath().toString())));
    }

    /** Seals the recording (digest into the record, line into the manifest) when the record is written. */
    StoreCallServices sealRecordingsWith(Evidence e) {
        this.evidence = e;
        return this;
    }

    /**
     * The SIP Call-IDs the record carries: the inmate leg's, and the called leg's as it is when the record is
     * written (none if the call never got that far).
     */
    StoreCallServices sipCallIds(String inmateLeg, Supplier<String> trunkLeg) {
        this.sipCallId = inmateLeg;
        this.trunkCallId = trunkLeg;
        return this;
    }

    @Override
    public void writeCallRecord(CallResult r) {
        var draft = io.kinline.store.CallRecord.builder(r.callId())
                .facility(r.facilityId())
                .station(r.stationId())
                .inmateId(r.inmateId())
                .dialed(r.dialed())
                .btn(r.btn())
                .funding(r.funding())
                .startedAt(r.startedAt())
                .answeredAt(r.answeredAt())
                .acceptedAt(r.acceptedAt())
                .endedAt(r.endedAt())
                .outcome(CallOutcome.valueOf(r.outcome().name()))
                .reason(r.reason() == null || r.reason().isEmpty() ? null : r.reason())
                .recording(r.recording() == null ? null : r.recording().toString())
                .recordingSha256(seal(r.callId(), r.recording()))
                .recordingFidelity(fidelity(r))
                .privileged(r.privileged())
                .threeWay(r.threeWaySuspected())
                .inmateQuality(quality(inmateStats.get()))
                .calledQuality(quality(calledStats.get()))
                .sipCallId(sipCallId)
                .trunkCallId(trunkCallId.get())
                .build();
        if (!r.outcome().billable()) {
            // Refused, blocked, unanswered and failed calls cost nothing: release the hold and write
            // the record as the script made it (funding free). Billing.settle would label it with the
            // account that was held, which paid nothing.
            billing.release(r.callId());
            store.calls().record(draft);
            return;
        }
        billing.settle(draft);
    }

    /**
     * The recording's SHA-256 once sealed, or null (no recording, or it could not be sealed: the record is still
     * written, and {@code kinline verify} reports the recording as unsigned).
     */
    private String seal(String callId, Path recording) {
        if (recording == null || evidence == null) {
            return null;
        }
        try {
            return evidence.seal(callId, recording).sha256();
        } catch (IOException | RuntimeException e) {
            log.error("recording {} could not be sealed: {}", recording, e.toString());
            return null;
        }
    }

    /**
     * Above this many frames (0.2 s) of gaps on a channel or of late audio, a recording is reported as degraded
     * in the log; every count is on the record regardless.
     */
    static final long DEGRADED_FRAMES = 10;

    /** The recording's counts for the record (null without a recording); one WARN line when it degraded. */
    private static RecordingFidelity fidelity(CallResult r) {
        RecordingQuality q = r.recordingQuality();
        if (r.recording() == null || q == null) {
            return null;
        }
        if (q.gapFramesInmate() > DEGRADED_FRAMES || q.gapFramesCalled() > DEGRADED_FRAMES
                || q.lateOrDroppedFrames() > DEGRADED_FRAMES) {
            log.warn("recording degraded: gap frames inmate {} called {}, late {}, dropped {}, drift {} (20 ms frames)",
                    q.gapFramesInmate(), q.gapFramesCalled(), q.lateFrames(), q.droppedFrames(), q.driftFrames());
        }
        return new RecordingFidelity(q.gapFramesInmate(), q.gapFramesCalled(), q.lateOrDroppedFrames());
    }

    private static LegQuality quality(RtpStatistics s) {
        if (s == null) {
            return null;
        }
        return new LegQuality(s.packetsLost(), s.lossFraction(), s.jitterMillis());
    }

    static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
