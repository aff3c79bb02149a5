package io.kinline.script;

import io.kinline.ivr.CallEndedException;
import io.kinline.ivr.CallEvent;
import io.kinline.ivr.CallEvents;
import io.kinline.ivr.Collected;
import io.kinline.ivr.DigitSpec;
import io.kinline.ivr.Ivr;
import io.kinline.ivr.Leg;
import io.kinline.log.CallMdc;
import io.kinline.media.Bridge;
import io.kinline.media.MediaEvent;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.tones.CallProgressTone;
import io.kinline.policy.CallAttempt;
import io.kinline.policy.Denial;
import io.kinline.policy.DenialReason;
import io.kinline.policy.DialedNumber;
import io.kinline.policy.FacilityRules;
import io.kinline.policy.IncidentType;
import io.kinline.policy.NumberPlan;
import io.kinline.policy.Policy;
import io.kinline.store.Funding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inmate call from offhook to hangup, as straight-line code on the call's virtual thread:
 * language, PIN, number, policy, funding, name, ringing, the called party's consent, the connected
 * call, and the call record. Both legs are driven from this one thread through two {@link Ivr}s over
 * the call's single event queue. See docs/CALLFLOW.md for the flow, prompts and settings.
 *
 * <p>Usage by the B2BUA, once the inmate leg is answered:
 * <pre>{@code
 * CallResult r = new InmateCallScript(start, events, control, services, observer, Policy.standard()).run();
 * }</pre>
 * {@link #run()} never throws; it writes the call record through {@link CallServices#writeCallRecord}
 * and returns it.
 */
public final class InmateCallScript {

    private static final Logger log = LoggerFactory.getLogger(InmateCallScript.class);

    /** A recorded name shorter than this is treated as silence and not kept. */
    static final long MIN_NAME_MILLIS = 500;
    /** Tries at entering a valid number before the call ends. */
    static final int NUMBER_ATTEMPTS = 3;
    /** Looks at the funds when holds keep being refused because other calls took the money first. */
    static final int FUNDING_LOOKS = 3;
    /** Longest inmate number keyed in {@code id_pin} identification (the digits of an inmate id). */
    static final int MAX_INMATE_NUMBER_DIGITS = 16;
    /** 011 + 15 E.164 digits. */
    static final int MAX_NUMBER_DIGITS = 18;
    /**
     * Ringback cycles per playlist: ten North American cycles (440+480 Hz, 2 s on, 4 s off) make a
     * minute; when ringing lasts longer the script starts another, which again begins with the on part,
     * so the cadence runs on unbroken.
     */
    static final int RINGBACK_CYCLES = 10;

    private final CallStart start;
    private final CallEvents events;
    private final CallControl legs;
    private final CallServices services;
    private final CallObserver observer;
    private final Policy policy;

    // What the call record needs, filled in as the call goes on.
    private FacilityRules facility;
    private String language;
    private Caller inmate;
    /** Set when a PIN identified someone whose call did not go ahead (locked PIN). */
    private String inmateIdForRecord;
    private CallAttempt attempt;
    private String dialed;
    private DialedNumber number;
    private boolean privileged;
    private Funding funding = Funding.FREE;
    /**
     * The call's per-minute rate, from the dialled number's call type: the one value the funds check,
     * the allowed length, the hold, the rate key's quote and the charge all use. Zero for a free call.
     */
    private BigDecimal rate = BigDecimal.ZERO;
    private Hold reservation;
    private Policy.Allowance allowance;
    /** The funds the allowance was computed with (zero for free calls). */
    private BigDecimal availableFunds = BigDecimal.ZERO;
    private Path namePrompt;
    private Path recording;
    private io.kinline.media.record.RecordingQuality recordingQuality;
    private Instant answeredAt;
    private Instant acceptedAt;
    private boolean calledPlaced;
    private ThreeWayResponse threeWay;
    private Bridge bridge;
    private Ivr inmateIvr;
    private Ivr calledIvr;

    public InmateCallScript(CallStart start, CallEvents events, CallControl legs, CallServices services,
            CallObserver observer, Policy policy) {
        this.start = start;
        this.events = events;
        this.legs = legs;
        this.services = services;
        this.observer = observer;
        this.policy = policy;
    }

    /**
     * The end of the call; carries the call record's outcome. The endings ({@link #deny},
     * {@link #sayAndEnd}, {@link #notAccepted}) return one so that every call site reads
     * {@code throw deny(...)}: nothing after it runs.
     */
    private static final class Finished extends RuntimeException {
        final Outcome outcome;
        final String reason;

        Finished(Outcome outcome, String reason) {
            super(outcome.code() + ":" + reason, null, false, false);
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    /** Runs the call to its end, writes and returns the call record. */
    public CallResult run() {
        try (var mdc = CallMdc.open(start.callId())) {
            Outcome outcome;
            String reason;
            try {
                call();
                throw new IllegalStateException("call() returns only by Finished");
            } catch (Finished f) {
                outcome = f.outcome;
                reason = f.reason;
            } catch (CallEndedException e) {
                // A leg went away outside the connected phase (which handles its own hangups).
                outcome = Outcome.FAILED;
                reason = endReason(e);
            } catch (RuntimeException e) {
                log.error("call script failed", e);
                outcome = Outcome.FAILED;
                reason = "system_error";
                sayToInmateQuietly(DenialReason.SYSTEM_PROMPT);
            }
            return finish(outcome, reason);
        }
    }

    /** The call, top to bottom. Ends by throwing {@link Finished}. */
    private void call() {
        step(CallObserver.Step.OFFHOOK, start.stationId());
        inmateIvr = new Ivr(Leg.INMATE, legs.inmate(), events);

        StationRules station = services.station(start.stationId()).orElse(null);
        if (station == null) {
            language = "en";
            throw deny(DenialReason.UNKNOWN_STATION.deny(start.stationId()));
        }
        facility = station.facility();
        language = chooseLanguage();
        inmate = authenticate();
        number = dialedNumber();
        checkPolicy();
        fund();
        ensureName();
        ring();
        consent();
        talk();
    }

    // ---- 1. Language ---------------------------------------------------------------------------

    private String chooseLanguage() {
        if (!facility.languageMenu()) {
            return facility.defaultLanguage();
        }
        Optional<Character> key = inmateIvr.menu(
                List.of(Playlist.of("en", "language-menu"), Playlist.of(facility.secondLanguage(), "language-menu")),
                Set.of('1', '2'), 1, facility.firstDigitTimeout());
        return key.map(k -> k == '2' ? facility.secondLanguage() : "en").orElse(facility.defaultLanguage());
    }

    // ---- 2. PIN --------------------------------------------------------------------------------

    private Caller authenticate() {
        DigitSpec spec = facility.pinLength() > 0
                ? new DigitSpec(facility.pinLength(), '#', facility.firstDigitTimeout(), facility.interDigitTimeout())
                : DigitSpec.upTo(FacilityRules.MAX_PIN_DIGITS, facility.firstDigitTimeout(),
                        facility.interDigitTimeout());
        // A station locked by wrong PINs (on this or earlier calls) takes no PIN at all, not even the right one:
        // otherwise guessing would only slow down, and a right PIN would tell the guesser it was right.
        Optional<Instant> stationLocked = services.stationPinLockedUntil(now());
        if (stationLocked.isPresent()) {
            step(CallObserver.Step.PIN_FAILED, "station locked until " + stationLocked.get());
            throw sayAndEnd(Outcome.DENIED, DenialReason.PIN_LOCKED.code(), DenialReason.PIN_LOCKED.prompt());
        }
        Set<String> triedInmates = new LinkedHashSet<>();
        for (int attempt = 1; ; attempt++) {
            PinResult result = facility.idPin() ? numberAndPin(spec) : pinAlone(spec);
            switch (result) {
                case PinResult.Accepted ok -> {
                    Caller who = ok.inmate();
                    if (!facility.languageMenu() && who.language() != null) {
                        language = who.language();
                    }
                    namePrompt = who.namePrompt();
                    services.stationPinSucceeded();
                    step(CallObserver.Step.PIN_OK, who.id());
                    return who;
                }
                case PinResult.Locked locked -> {
                    step(CallObserver.Step.PIN_FAILED, "locked");
                    inmateIdForRecord = locked.inmateId();
                    // id_pin: the number named a locked inmate, whatever PIN followed; pin_locked, as a station's.
                    String reason = facility.idPin() ? DenialReason.PIN_LOCKED.code() : DenialReason.PIN_FAILED.code();
                    throw sayAndEnd(Outcome.DENIED, reason, "pin-locked");
                }
                case PinResult.Rejected rejected -> {
                    step(CallObserver.Step.PIN_FAILED, "attempt " + attempt);
                    String named = rejected.inmateId();
                    if (named != null && facility.idPin()) {
                        inmateIdForRecord = named; // the number named them: investigators want to know whose
                    } else if (named != null) {
                        triedInmates.add(named);
                    }
                    // Every wrong entry counts against the station; in id_pin mode against the named inmate too.
                    Optional<Instant> lockedNow = services.stationPinFailed(now());
                    Optional<Instant> inmateLocked = named != null && facility.idPin()
                            ? services.inmatePinFailed(named, now()) : Optional.empty();
                    if (inmateLocked.isPresent()) {
                        incident(IncidentType.PIN_LOCKOUT, named, facility.pinAttempts() + " wrong PINs in a row for "
                                + "inmate " + named + ", the last at station " + start.stationId() + "; PIN locked until "
                                + inmateLocked.get() + lockedNow.map(t -> "; station locked until " + t).orElse(""));
                        throw sayAndEnd(Outcome.DENIED, DenialReason.PIN_LOCKED.code(), "pin-locked");
                    }
                    if (lockedNow.isPresent()) {
                        lockOut(triedInmates, "station " + start.stationId() + " locked until " + lockedNow.get());
                        throw sayAndEnd(Outcome.DENIED, DenialReason.PIN_FAILED.code(), DenialReason.PIN_LOCKED.prompt());
                    }
                    if (attempt >= facility.pinAttempts()) {
                        lockOut(triedInmates, "in one call");
                        throw sayAndEnd(Outcome.DENIED, DenialReason.PIN_FAILED.code(), "pin-invalid");
                    }
                    inmateIvr.clearTypeAhead();
                    inmateIvr.play(prompt("pin-invalid"));
                }
            }
        }
    }

    /** {@code identification: pin}: the PIN alone names the inmate. Silence is a wrong PIN. */
    private PinResult pinAlone(DigitSpec spec) {
        Collected pin = inmateIvr.playAndCollect(prompt("enter-pin"), spec);
        return pin.isEmpty() ? new PinResult.Rejected(null) : services.verifyPin(facility.facilityId(), pin.digits(), now());
    }

    /**
     * {@code identification: id_pin}: the inmate number (the digits of the inmate id, {@code #} ends it), then
     * the PIN, checked against that inmate only. Silence at the number is a wrong entry and asks for no PIN; a
     * number that names nobody still asks for the PIN, so the caller cannot tell a known number from an unknown.
     */
    private PinResult numberAndPin(DigitSpec pinSpec) {
        Collected number = inmateIvr.playAndCollect(prompt("enter-inmate-number"),
                DigitSpec.upTo(MAX_INMATE_NUMBER_DIGITS, facility.firstDigitTimeout(), facility.interDigitTimeout()));
        if (number.isEmpty()) {
            return new PinResult.Rejected(null);
        }
        Collected pin = inmateIvr.playAndCollect(prompt("enter-pin"), pinSpec);
        return services.verifyNumberAndPin(facility.facilityId(), number.digits(), pin.digits(), now());
    }

    private void lockOut(Set<String> triedInmates, String how) {
        Instant until = now().plus(facility.pinLockout());
        for (String id : triedInmates) {
            services.lockPin(facility.facilityId(), id, until);
        }
        String who = triedInmates.isEmpty() ? null : String.join(",", triedInmates);
        incident(IncidentType.PIN_LOCKOUT, who, facility.pinAttempts() + " wrong PINs at station "
                + start.stationId() + " (" + how + ")");
    }

    // ---- 3. Number -----------------------------------------------------------------------------

    private DialedNumber dialedNumber() {
        if (start.dialedUser() != null) {
            Optional<DialedNumber> fromInvite = NumberPlan.parse(start.dialedUser(), facility.homeNpa());
            if (fromInvite.isPresent()) {
                dialed = fromInvite.get().number();
                return fromInvite.get();
            }
        }
        DigitSpec spec = DigitSpec.upTo(MAX_NUMBER_DIGITS, facility.firstDigitTimeout(), facility.interDigitTimeout());
        for (int attempt = 1; ; attempt++) {
            Collected digits = inmateIvr.playAndCollect(prompt("enter-number"), spec);
            dialed = digits.digits();
            Optional<DialedNumber> parsed = NumberPlan.parse(digits.digits(), facility.homeNpa());
            if (parsed.isPresent()) {
                dialed = parsed.get().number();
                return parsed.get();
            }
            if (attempt >= NUMBER_ATTEMPTS) {
                throw deny(DenialReason.INVALID_NUMBER.deny(digits.digits()));
            }
            inmateIvr.clearTypeAhead();
            inmateIvr.play(prompt("number-invalid"));
        }
    }

    // ---- 4. Policy -----------------------------------------------------------------------------

    private void checkPolicy() {
        Usage usage = services.usage(inmate.id(), now());
        NumberStanding standing = number.isE164()
                ? services.numberStanding(facility.facilityId(), inmate.id(), number.number())
                : NumberStanding.NONE;
        privileged = standing.privileged();
        attempt = CallAttempt.builder(facility, number, now())
                .status(inmate.status(), inmate.statusUntil())
                .housingHours(inmate.housingHours())
                .callsToday(usage.callsToday())
                .usedThisMonth(usage.usedThisMonth())
                .lastCallEnded(usage.lastCallEnded())
                .approved(standing.approved())
                .blocks(standing.blocks())
                .privileged(standing.privileged())
                .build();
        Optional<Denial> denial = policy.evaluate(attempt);
        if (denial.isPresent()) {
            throw deny(denial.get());
        }
    }

    // ---- 5. Funding ----------------------------------------------------------------------------

    /**
     * The BTN's prepaid account pays when it holds at least one minute at this call's rate; otherwise
     * the inmate's debit account. When neither holds a minute the inmate hears which account to fund:
     * the prepaid one if the BTN has one (the family set it up to pay), else the debit one.
     */
    private void fund() {
        // Asked here, not at dialling: only numbers that passed the destination rules have a call type.
        rate = services.ratePerMinute(facility.facilityId(), number.number());
        if (rate.signum() == 0) {
            funding = Funding.FREE;
            allowance = Policy.allowedLength(attempt, BigDecimal.ZERO, rate);
            requireOneMinute(false);
            return;
        }
        for (int look = 1; reservation == null; look++) {
            Funds funds = services.funds(inmate.id(), number.number());
            BigDecimal available;
            String account;
            if (funds.prepaidAvailable().isPresent() && funds.prepaidAvailable().get().compareTo(rate) >= 0) {
                funding = Funding.PREPAID;
                available = funds.prepaidAvailable().get();
                account = number.number();
            } else {
                funding = Funding.DEBIT;
                available = funds.debitAvailable();
                account = inmate.id();
            }
            availableFunds = available;
            allowance = Policy.allowedLength(attempt, available, rate);
            requireOneMinute(funds.prepaidAvailable().isPresent());
            long minutes = (allowance.length().toSeconds() + 59) / 60;
            BigDecimal hold = rate.multiply(BigDecimal.valueOf(minutes)).setScale(2, RoundingMode.UP).min(available);
            try {
                reservation = services.reserve(funding, account, hold, rate, start.callId());
            } catch (CallServices.FundsTaken raced) {
                // Another call to this BTN or of this inmate, here or on another node, held the money first:
                // look again (the debit account may pay, or the call is told there is not enough).
                if (look >= FUNDING_LOOKS) {
                    throw raced;
                }
            }
        }
        if (reservation.ratePerMinute().compareTo(rate) != 0) {
            // The family would hear one rate and be charged another: not a call to place.
            throw new IllegalStateException("hold records rate " + reservation.ratePerMinute() + ", call rate " + rate);
        }
    }

    private void requireOneMinute(boolean btnHasPrepaid) {
        if (allowance.atLeastOneMinute()) {
            return;
        }
        switch (allowance.limit()) {
            case FUNDS -> {
                DenialReason r = DenialReason.INSUFFICIENT_FUNDS;
                throw deny(new Denial(r, btnHasPrepaid ? DenialReason.INSUFFICIENT_FUNDS_PREPAID_PROMPT : r.prompt(),
                        funding.wireName(), null));
            }
            case PHONE_HOURS -> throw deny(DenialReason.OUTSIDE_HOURS.deny("phone hours end in " + allowance.length()));
            case MONTHLY_MINUTES -> throw deny(DenialReason.MONTHLY_MINUTES.deny("under a minute left this month"));
            case MAX_LENGTH -> throw new IllegalStateException("max call length under a minute");
        }
    }

    // ---- 6. Name -------------------------------------------------------------------------------

    private void ensureName() {
        if (namePrompt != null || facility.nameMaxMillis() == 0) {
            return;
        }
        Path wav = services.nameRecordingPath(inmate.id());
        inmateIvr.play(Playlist.in(language).prompt("say-name").tone(1000, 400).build());
        long millis = inmateIvr.recordName(wav, facility.nameMaxMillis());
        if (millis >= MIN_NAME_MILLIS) {
            services.saveNamePrompt(inmate.id(), wav);
            namePrompt = wav;
            inmateIvr.play(prompt("name-saved"));
        }
    }

    // ---- 7. Ringing ----------------------------------------------------------------------------

    private void ring() {
        inmateIvr.play(prompt("please-hold"));
        step(CallObserver.Step.DIALING, number.number());
        legs.placeCalledParty(number.number(), facility.answerTimeout());
        calledPlaced = true;
        Instant giveUp = now().plus(facility.answerTimeout());
        inmateIvr.startPlay(ringback(), false);
        boolean ringing = false;
        while (true) {
            CallEvent e = inmateIvr.next(giveUp);
            switch (e) {
                case null -> {
                    legs.cancelCalledParty();
                    events.markEnded(Leg.CALLED);
                    throw sayAndEnd(Outcome.NO_ANSWER, "no_answer", "no-answer");
                }
                case CallEvent.BLegProgress p -> {
                    if (!ringing) {
                        ringing = true;
                        step(CallObserver.Step.RINGING, Integer.toString(p.status()));
                    }
                }
                case CallEvent.BLegAnswered a -> {
                    answeredAt = now();
                    endRingback();
                    return;
                }
                case CallEvent.BLegFailed f -> {
                    events.markEnded(Leg.CALLED);
                    if (f.busy()) {
                        throw sayAndEnd(Outcome.BUSY, "busy", "busy");
                    }
                    throw sayAndEnd(Outcome.FAILED, "sip_" + f.status(), "call-failed");
                }
                case CallEvent.Media m when m.leg() == Leg.INMATE && m.event() instanceof MediaEvent.PlaybackDone
                        && !inmateIvr.playing() -> inmateIvr.startPlay(ringback(), false);
                default -> {
                }
            }
        }
    }

    /**
     * The answer ends ringing, as on any phone: the inmate hears quiet while the called party hears the
     * greeting, not the ringing tone until acceptance. Not {@code stopPlay()}: waiting here for the
     * playback's end could take the called party's hangup out of the consent step that answers it; the
     * late {@code PlaybackDone} settles the playback whenever it comes (see {@link CallEvents}).
     */
    private void endRingback() {
        if (inmateIvr.playing()) {
            inmateIvr.endpoint().stopPlayback();
        }
    }

    private Playlist ringback() {
        return Playlist.in(language).callProgress(CallProgressTone.RINGBACK, RINGBACK_CYCLES).build();
    }

    // ---- Called party: consent -----------------------------------------------------------------

    private void consent() {
        calledIvr = new Ivr(Leg.CALLED, legs.calledParty(), events);
        step(CallObserver.Step.GREETING, "");
        Playlist greeting = CalledPartyScript.greeting(language, namePrompt, facility, privileged);
        CalledPartyScript.Decision decision = new CalledPartyScript(calledIvr, facility, language, greeting, rate,
                () -> services.addKeypadBlock(facility.facilityId(), number.number(), start.callId())).run();
        switch (decision) {
            case ACCEPTED -> {
                acceptedAt = now();
                step(CallObserver.Step.ACCEPTED, "");
            }
            case REFUSED -> throw notAccepted(Outcome.REFUSED, "refused", CallObserver.Step.REFUSED);
            case NO_RESPONSE -> throw notAccepted(Outcome.REFUSED, "no_response", CallObserver.Step.REFUSED);
            case HUNG_UP -> throw notAccepted(Outcome.REFUSED, "called_hangup", CallObserver.Step.REFUSED);
            case BLOCKED -> throw notAccepted(Outcome.BLOCKED_BY_CALLED_PARTY, "keypad_block", CallObserver.Step.BLOCKED);
        }
    }

    /** Refused, blocked or no response: the called party goes, the inmate hears "not accepted"; the end to throw. */
    private Finished notAccepted(Outcome outcome, String reason, CallObserver.Step step) {
        step(step, reason);
        hangupCalled();
        return sayAndEnd(outcome, reason, "not-accepted");
    }

    // ---- Connected -----------------------------------------------------------------------------

    private void talk() {
        inmateIvr.stopPlay();
        calledIvr.stopPlay();
        bridge = legs.bridge();
        // From here on the inmate's keys are ignored (only the called party's mean something: a
        // three-way attempt), and in-band detection is the costliest work per received packet.
        legs.inmate().inbandDtmf(false);
        threeWay = new ThreeWayResponse(facility.threeWayAction(),
                detail -> incident(IncidentType.THREE_WAY_SUSPECTED, inmate.id(), detail));
        if (!privileged) {
            Path file = legs.recordingPath();
            try {
                bridge.startRecording(file);
            } catch (RuntimeException e) {
                // A call that cannot be recorded is not talked (and a file that exists, another call's
                // evidence, is never named by this record: the recorder refuses to overwrite it).
                log.error("cannot record to {}: {}", file, (e.getCause() != null ? e.getCause() : e).toString());
                throw new Finished(Outcome.FAILED, "recording_failed");
            }
            recording = file;
            // A privileged call is neither recorded nor analysed: detection is monitoring too.
            threeWay.recordingStartedAt(now().toEpochMilli());
            legs.calledParty().threeWayDetection(true);
        }
        step(CallObserver.Step.TALKING, privileged ? "privileged" : "recorded");
        // Ringing and consent took time: phone hours may now end sooner than they did at dialing.
        allowance = Policy.allowedLength(attempt.at(acceptedAt), availableFunds, rate);
        Instant limitAt = acceptedAt.plus(allowance.length());
        Duration warnLead = facility.warningBefore();
        Instant warnAt = warnLead.isZero() || warnLead.compareTo(allowance.length()) >= 0 ? null : limitAt.minus(warnLead);
        Duration every = facility.reminderInterval();
        Instant reminderAt = every.isZero() ? null : acceptedAt.plus(every);
        try {
            while (true) {
                Instant deadline = earliest(limitAt, warnAt, reminderAt);
                CallEvent e = inmateIvr.next(deadline);
                Instant now = now();
                if (e == null) {
                    if (!now.isBefore(limitAt)) {
                        cutOff(allowance.limit().reasonCode(), allowance.limit().cutOffPrompt());
                    } else if (warnAt != null && !now.isBefore(warnAt)) {
                        warnAt = null;
                        step(CallObserver.Step.WARNING, "one minute");
                        announce(Playlist.of(language, "one-minute-remaining"));
                        if (reminderAt != null && Duration.between(now, reminderAt).compareTo(warnLead) < 0) {
                            reminderAt = null; // no reminder on top of the warning
                        }
                    } else if (reminderAt != null && !now.isBefore(reminderAt)) {
                        reminderAt = reminderAt.plus(every);
                        if (!reminderAt.isBefore(limitAt)) {
                            reminderAt = null;
                        }
                        step(CallObserver.Step.REMINDER, "");
                        announce(Playlist.of(language, "reminder"));
                    }
                } else if (e instanceof CallEvent.Media m && m.leg() == Leg.CALLED
                        && m.event() instanceof MediaEvent.ThreeWay found) {
                    onThreeWay(found);
                } else if (e instanceof CallEvent.Media m && m.leg() == Leg.CALLED && m.event() instanceof MediaEvent.Digit) {
                    // A key alone means nothing once connected; the detector weighs digits with the rest.
                    events.typeAhead(Leg.CALLED).clear();
                }
            }
        } catch (CallEndedException e) {
            if (e.mediaTimeout() || e.shutdown()) {
                step(CallObserver.Step.CUT_OFF, e.reason());
                throw new Finished(Outcome.CUT_OFF, e.reason());
            }
            throw new Finished(Outcome.COMPLETED, endReason(e));
        }
    }

    private void onThreeWay(MediaEvent.ThreeWay found) {
        if (threeWay.news(found)) {
            step(CallObserver.Step.THREE_WAY_SUSPECTED, String.format(java.util.Locale.ROOT, "score %.2f%s %s",
                    found.detection().score(), found.detection().strong() ? " strong" : "", found.detection().kinds()));
            log.info("three-way attempt detected: {}", found.detection().line());
        }
        ThreeWayResponse.Act act = threeWay.on(found);
        switch (act) {
            case WARN -> announce(Playlist.of(language, "three-way-warning"));
            case DISCONNECT -> cutOff("three_way", "three-way-ended");
            case NONE -> {
            }
        }
    }

    private void announce(Playlist p) {
        events.playbackStarted(Leg.INMATE);
        bridge.announce(p);
    }

    /** Announces the end to both parties, waits for it to play, then ends the call. */
    private void cutOff(String reason, String promptName) {
        step(CallObserver.Step.CUT_OFF, reason);
        announce(Playlist.of(language, promptName, "goodbye"));
        try {
            inmateIvr.awaitPlaybacks(Ivr.STOP_BOUND.multipliedBy(4));
        } catch (CallEndedException e) {
            // someone hung up during the goodbye: the call ends anyway
        }
        throw new Finished(Outcome.CUT_OFF, reason);
    }

    private static Instant earliest(Instant... candidates) {
        Instant best = null;
        for (Instant i : candidates) {
            if (i != null && (best == null || i.isBefore(best))) {
                best = i;
            }
        }
        return best;
    }

    // ---- Endings -------------------------------------------------------------------------------

    /** Reports the denial (and its incident) and tells the inmate; returns the end to throw. */
    private Finished deny(Denial d) {
        step(CallObserver.Step.DENIED, d.reason().code());
        if (d.incident() != null) {
            incident(d.incident(), inmate == null ? null : inmate.id(), d.detail());
        }
        return sayAndEnd(Outcome.DENIED, d.reason().code(), d.prompt());
    }

    /** Tells the inmate why the call ends, then goodbye; returns the end to throw. */
    private Finished sayAndEnd(Outcome outcome, String reason, String promptName) {
        try {
            if (events.isUp(Leg.INMATE)) {
                inmateIvr.stopPlay();
                inmateIvr.play(Playlist.of(language, promptName, "goodbye"));
            }
        } catch (CallEndedException e) {
            // Hung up while hearing why: the outcome stands.
        }
        return new Finished(outcome, reason);
    }

    private void sayToInmateQuietly(String promptName) {
        try {
            if (inmateIvr != null && events.isUp(Leg.INMATE)) {
                inmateIvr.play(Playlist.of(language == null ? "en" : language, promptName, "goodbye"));
            }
        } catch (RuntimeException e) {
            log.debug("could not play {}", promptName, e);
        }
    }

    private void hangupCalled() {
        if (events.isUp(Leg.CALLED)) {
            events.markEnded(Leg.CALLED);
            legs.hangupCalledParty();
        }
    }

    /** Releases everything, settles or releases funds, writes the record. Never throws. */
    private CallResult finish(Outcome outcome, String reason) {
        // Cleanup and the call record must happen even when the thread was interrupted (shutdown).
        boolean interrupted = Thread.interrupted();
        try {
            return cleanUpAndRecord(outcome, reason);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CallResult cleanUpAndRecord(Outcome outcome, String reason) {
        Instant endedAt = now();
        quietly("three-way", () -> {
            if (threeWay != null) {
                legs.calledParty().threeWayDetection(false);
                threeWay.finish();
            }
        });
        Duration talked = acceptedAt == null ? Duration.ZERO : Duration.between(acceptedAt, endedAt);
        quietly("stop recording", () -> {
            if (bridge != null) {
                bridge.stopRecording();
                recordingQuality = recording == null ? null : bridge.recordingQuality();
                bridge.close();
            }
        });
        quietly("called leg", () -> {
            if (calledPlaced && events.isUp(Leg.CALLED)) {
                events.markEnded(Leg.CALLED);
                if (answeredAt == null) {
                    legs.cancelCalledParty();
                } else {
                    legs.hangupCalledParty();
                }
            }
        });
        quietly("inmate leg", () -> {
            if (events.isUp(Leg.INMATE)) {
                events.markEnded(Leg.INMATE);
                legs.hangupInmate();
            }
        });
        quietly("billing", () -> {
            if (reservation != null) {
                if (outcome.billable() && acceptedAt != null) {
                    services.settle(reservation, talked);
                } else {
                    services.release(reservation);
                }
            }
        });
        Funding paidBy = outcome.billable() ? funding : Funding.FREE;
        CallResult record = CallResult.builder(start.callId())
                .facilityId(facility == null ? null : facility.facilityId())
                .stationId(start.stationId())
                .inmateId(inmate != null ? inmate.id() : inmateIdForRecord)
                .dialed(dialed)
                .btn(number != null && number.isE164() ? number.number() : null)
                .outcome(outcome).reason(reason)
                .startedAt(start.offhookAt()).answeredAt(answeredAt).acceptedAt(acceptedAt).endedAt(endedAt)
                .funding(paidBy).privileged(privileged).recording(recording)
                .language(language == null ? "en" : language)
                .threeWaySuspected(threeWay != null && threeWay.flagged()).talked(talked)
                .recordingQuality(recordingQuality)
                .build();
        quietly("call record", () -> services.writeCallRecord(record));
        step(CallObserver.Step.ENDED, outcome.code() + (reason.isEmpty() ? "" : " " + reason));
        log.info("call ended: {} {} talked {}s", outcome.code(), reason, talked.toSeconds());
        return record;
    }

    private void quietly(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("cleanup of {} failed", what, e);
        }
    }

    // ---- Small helpers -------------------------------------------------------------------------

    private Playlist prompt(String name) {
        return Playlist.of(language, name);
    }

    private Instant now() {
        return events.clock().instant();
    }

    private void step(CallObserver.Step s, String detail) {
        try {
            observer.onStep(start.callId(), s, detail);
        } catch (RuntimeException e) {
            log.warn("observer failed on {}", s, e);
        }
    }

    private void incident(IncidentType type, String inmateId, String detail) {
        services.recordIncident(new IncidentReport(type, start.callId(), facility == null ? null : facility.facilityId(),
                start.stationId(), inmateId, number == null ? dialed : number.number(), detail, now()));
    }

    /** {@code media_timeout}, {@code shutdown}, {@code inmate_hangup} or {@code called_hangup}. */
    private static String endReason(CallEndedException e) {
        if (e.mediaTimeout() || e.shutdown()) {
            return e.reason();
        }
        return (e.leg() == Leg.INMATE ? "inmate" : "called") + "_hangup";
    }
}
