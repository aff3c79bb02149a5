package io.kinline.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money rules: amounts are {@link BigDecimal} with scale 2 (cents), DECIMAL(12,2) in the database.
 * Where a computation yields fractions of a cent (a per-minute rate with 4 decimals times minutes
 * with a sub-minute rounding), the result is rounded HALF_UP to cents.
 */
public final class Money {

    public static final BigDecimal ZERO = new BigDecimal("0.00");

    private Money() {
    }

    public static BigDecimal of(String amount) {
        return cents(new BigDecimal(amount));
    }

    /** Scale 2, HALF_UP. */
    public static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}
