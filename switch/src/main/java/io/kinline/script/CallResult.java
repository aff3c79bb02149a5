package io.kinline.script;

import io.kinline.media.record.RecordingQuality;
import io.kinline.store.Funding;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * How a call ended, as the script saw it: what the call layer turns into the stored call record
 * ({@link io.kinline.store.CallRecord}, which adds billing and RTP quality).
 *
 * @param callId        the call id
 * @param facilityId    facility, or null for an unknown station
 * @param stationId     the handset
 * @param inmateId      the PIN's owner, or null when no PIN was accepted
 * @param dialed        the normalized number, or the raw digits when invalid, or null
 * @param btn           the billing number (the dialed E.164), or null when none
 * @param outcome       how it ended
 * @param reason        a reason code: a denial code, a cut-off reason ({@code time_limit},
 *                      {@code funds_exhausted}, {@code media_timeout}, {@code three_way}), a hangup
 *                      reason ({@code inmate_hangup}, {@code called_hangup}), {@code no_response}, a
 *                      SIP status for failures ({@code sip_503}), or empty
 * @param startedAt     offhook
 * @param answeredAt    when the called party answered, or null
 * @param acceptedAt    when the called party pressed accept, or null
 * @param endedAt       end
 * @param funding       debit, prepaid or free
 * @param privileged    privileged call (not recorded, not monitored)
 * @param recording     the recording file, or null
 * @param language      the prompt language used
 * @param threeWaySuspected digits or flashes from the called party after acceptance
 * @param talked        acceptance to end (zero when never accepted): what is billed
 * @param recordingQuality the recording's gap, late and dropped frames, or null without a recording
 */
public record CallResult(
        String callId,
        String facilityId,
        String stationId,
        String inmateId,
        String dialed,
        String btn,
        Outcome outcome,
        String reason,
        Instant startedAt,
        Instant answeredAt,
        Instant acceptedAt,
        Instant endedAt,
        Funding funding,
        boolean privileged,
        Path recording,
        String language,
        boolean threeWaySuspected,
        Duration talked,
        RecordingQuality recordingQuality) {

    public static Builder builder(String callId) {
        return new Builder(callId);
    }

    /** Fills the record in by name: the script knows some fields only late, some never. */
    public static final class Builder {
        private final String callId;
        private String facilityId;
        private String stationId;
        private String inmateId;
        private String dialed;
        private String btn;
        private Outcome outcome;
        private String reason = "";
        private Instant startedAt;
        private Instant answeredAt;
        private Instant acceptedAt;
        private Instant endedAt;
        private Funding funding = Funding.FREE;
        private boolean privileged;
        private Path recording;
        private String language = "en";
        private boolean threeWaySuspected;
        private Duration talked = Duration.ZERO;
        private RecordingQuality recordingQuality;

        private Builder(String callId) {
            this.callId = callId;
        }

        public Builder facilityId(String v) { facilityId = v; return this; }
        public Builder stationId(String v) { stationId = v; return this; }
        public Builder inmateId(String v) { inmateId = v; return this; }
        public Builder dialed(String v) { dialed = v; return this; }
        public Builder btn(String v) { btn = v; return this; }
        public Builder outcome(Outcome v) { outcome = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder answeredAt(Instant v) { answeredAt = v; return this; }
        public Builder acceptedAt(Instant v) { acceptedAt = v; return this; }
        public Builder endedAt(Instant v) { endedAt = v; return this; }
        public Builder funding(Funding v) { funding = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder recording(Path v) { recording = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder threeWaySuspected(boolean v) { threeWaySuspected = v; return this; }
        public Builder talked(Duration v) { talked = v; return this; }
        public Builder recordingQuality(RecordingQuality v) { recordingQuality = v; return this; }

        public CallResult build() {
            return new CallResult(callId, facilityId, stationId, inmateId, dialed, btn, outcome, reason, startedAt,
                    answeredAt, acceptedAt, endedAt, funding, privileged, recording, language, threeWaySuspected,
                    talked, recordingQuality);
        }
    }
}
