package io.kinline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The call detail record (CDR) of one call attempt, keyed by {@code callId}. Written once; writes
 * are idempotent (the first write wins, see {@link CallRecords#record}).
 *
 * @param reason machine-readable detail, e.g. {@code toll_free}, {@code insufficient_funds},
 *               {@code outside_hours}, {@code blocked_number}, {@code pin_failed}, {@code pin_locked},
 *               {@code time_limit}, {@code funds_exhausted}, {@code media_timeout},
 *               {@code switch_restart}; {@code null} for a plain completed call
 * @param inmateQuality RTP quality of the inmate leg, {@code null} if no media
 * @param calledQuality RTP quality of the called-party leg, {@code null} if no media
 * @param recordingSha256 hex SHA-256 of the recording's WAV as sealed when it was closed (also in the signed
 *                      manifest, see docs/EVIDENCE.md); {@code null} without a recording or seal
 * @param threeWay      the three-way detector flagged an attempt on this call (the evidence is in its
 *                      THREE_WAY_SUSPECTED incidents)
 * @param sipCallId     the SIP Call-ID of the inmate leg's INVITE: searchable, never a key (a handset may
 *                      reuse it; {@code callId} is the switch's own id); {@code null} if unknown
 * @param trunkCallId   the SIP Call-ID of the called leg the switch placed, {@code null} if none
 * @param recordingFidelity the recording's gap and late frames, {@code null} without a recording
 */
public record CallRecord(
        String callId,
        String facility,
        String station,
        String inmateId,
        String dialed,
        String btn,
        Funding funding,
        Instant startedAt,
        Instant answeredAt,
        Instant acceptedAt,
        Instant endedAt,
        CallOutcome outcome,
        String reason,
        long billedSeconds,
        BigDecimal charge,
        String recording,
        boolean privileged,
        LegQuality inmateQuality,
        LegQuality calledQuality,
        String recordingSha256,
        boolean threeWay,
        String sipCallId,
        String trunkCallId,
        RecordingFidelity recordingFidelity) {

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(funding, "funding");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        if (charge == null) {
            charge = Money.ZERO;
        }
    }

    /** This record with its billing filled in. */
    public CallRecord withBilling(long seconds, BigDecimal amount) {
        return toBuilder().billedSeconds(seconds).charge(amount).build();
    }

    /** This record paid from {@code f}. */
    public CallRecord withFunding(Funding f) {
        return f == funding ? this : toBuilder().funding(f).build();
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        return builder(callId).facility(facility).station(station).inmateId(inmateId).dialed(dialed).btn(btn)
                .funding(funding).startedAt(startedAt).answeredAt(answeredAt).acceptedAt(acceptedAt).endedAt(endedAt)
                .outcome(outcome).reason(reason).billedSeconds(billedSeconds).charge(charge).recording(recording)
                .privileged(privileged).inmateQuality(inmateQuality).calledQuality(calledQuality)
                .recordingSha256(recordingSha256).threeWay(threeWay).sipCallId(sipCallId).trunkCallId(trunkCallId)
                .recordingFidelity(recordingFidelity);
    }

    public static Builder builder(String callId) {
        return new Builder(callId);
    }

    /** Builder for call-flow code that fills the record in as the call progresses. */
    public static final class Builder {
        private final String callId;
        private String facility;
        private String station;
        private String inmateId;
        private String dialed;
        private String btn;
        private Funding funding = Funding.FREE;
        private Instant startedAt;
        private Instant answeredAt;
        private Instant acceptedAt;
        private Instant endedAt;
        private CallOutcome outcome;
        private String reason;
        private long billedSeconds;
        private BigDecimal charge = Money.ZERO;
        private String recording;
        private boolean privileged;
        private LegQuality inmateQuality;
        private LegQuality calledQuality;
        private String recordingSha256;
        private boolean threeWay;
        private String sipCallId;
        private String trunkCallId;
        private RecordingFidelity recordingFidelity;

        private Builder(String callId) {
            this.callId = callId;
        }

        public Builder facility(String v) { facility = v; return this; }
        public Builder station(String v) { station = v; return this; }
        public Builder inmateId(String v) { inmateId = v; return this; }
        public Builder dialed(String v) { dialed = v; return this; }
        public Builder btn(String v) { btn = v; return this; }
        public Builder funding(Funding v) { funding = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder answeredAt(Instant v) { answeredAt = v; return this; }
        public Builder acceptedAt(Instant v) { acceptedAt = v; return this; }
        public Builder endedAt(Instant v) { endedAt = v; return this; }
        public Builder outcome(CallOutcome v) { outcome = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder billedSeconds(long v) { billedSeconds = v; return this; }
        public Builder charge(BigDecimal v) { charge = v; return this; }
        public Builder recording(String v) { recording = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder threeWay(boolean v) { threeWay = v; return this; }
        public Builder inmateQuality(LegQuality v) { inmateQuality = v; return this; }
        public Builder calledQuality(LegQuality v) { calledQuality = v; return this; }
        public Builder recordingSha256(String v) { recordingSha256 = v; return this; }
        public Builder sipCallId(String v) { sipCallId = v; return this; }
        public Builder trunkCallId(String v) { trunkCallId = v; return this; }
        public Builder recordingFidelity(RecordingFidelity v) { recordingFidelity = v; return this; }

        public CallRecord build() {
            return new CallRecord(callId, facility, station, inmateId, dialed, btn, funding, startedAt,
                    answeredAt, acceptedAt, endedAt, outcome, reason, billedSeconds, charge, recording,
                    privileged, inmateQuality, calledQuality, recordingSha256, threeWay, sipCallId, trunkCallId,
                    recordingFidelity);
        }
    }
}
