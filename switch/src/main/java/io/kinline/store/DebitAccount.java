package io.kinline.store;

import java.math.BigDecimal;

/** An inmate's debit (trust/canteen) phone account. {@code held} = open reservations. */
public record DebitAccount(String inmateId, BigDecimal balance, BigDecimal held) {

    public BigDecimal available() {
        return balance.subtract(held);
    }
}
