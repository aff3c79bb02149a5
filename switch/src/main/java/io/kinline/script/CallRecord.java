package io.kinline.script;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The script's result, for the call record.
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
 */
public record CallRecord(
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
        Duration talked) {
}
