package io.kinline.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One deposit into an account, as customer service reads it back.
 *
 * @param account   inmate id for {@link AccountKind#DEBIT}, BTN for {@link AccountKind#PREPAID}
 * @param balance   the account's balance right after this deposit
 * @param by        who made it (the API actor, e.g. {@code token:3(carol-cs)}, or {@code system})
 * @param reference free text given with the deposit (receipt number...), or {@code null}
 */
public record Deposit(long id, AccountKind kind, String account, BigDecimal amount, BigDecimal balance,
        Instant at, String by, String reference) {
}
