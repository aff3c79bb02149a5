package io.kinline.script;

import io.kinline.store.Funding;
import java.math.BigDecimal;

/**
 * Funds held for a call until it is settled or released.
 *
 * @param id            the billing side's id for the hold
 * @param funding       the account kind
 * @param account       the inmate id (debit) or the BTN (prepaid)
 * @param amount        the amount held
 * @param ratePerMinute the rate the hold records, which settlement (and reconciliation after a crash)
 *                      charges
 */
public record Hold(String id, Funding funding, String account, BigDecimal amount, BigDecimal ratePerMinute) {
}
