package io.kinline.billing;

import io.kinline.store.AccountKind;
import io.kinline.store.Reservation;
import java.math.BigDecimal;

/** Outcome of {@link Billing#reserve}. */
public sealed interface ReserveResult {

    /**
     * Funds are held. {@code allowedSeconds} is what the held money buys in whole minutes, capped
     * by the requested maximum; the call flow must cut the call off at that point.
     */
    record Reserved(Reservation reservation, int allowedSeconds) implements ReserveResult {
    }

    /**
     * Less than one minute is available. {@code kind} names the account so the IVR can say
     * "your prepaid account" vs "your debit account"; {@code available} may be zero.
     */
    record InsufficientFunds(AccountKind kind, String accountKey, BigDecimal available) implements ReserveResult {
    }

    /** No account exists for this key (treated like insufficient funds by the call flow). */
    record NoAccount(AccountKind kind, String accountKey) implements ReserveResult {
    }
}
