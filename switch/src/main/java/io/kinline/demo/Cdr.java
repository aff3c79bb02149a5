package io.kinline.demo;

import java.math.BigDecimal;

/**
 * What the demo shows of a call record, from the store or the admin API.
 *
 * @param recording path of the recording file when known, else the admin API URL, else null
 */
public record Cdr(String callId, String outcome, String reason, String funding, long billedSeconds,
                  BigDecimal charge, String recording) {
}
