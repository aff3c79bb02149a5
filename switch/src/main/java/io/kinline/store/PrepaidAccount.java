package io.kinline.store;

import java.math.BigDecimal;

/** A family-funded prepaid account keyed by the billing telephone number (BTN, E.164). */
public record PrepaidAccount(String btn, BigDecimal balance, BigDecimal held) {

    public BigDecimal available() {
        return balance.subtract(held);
    }
}
