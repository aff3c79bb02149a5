package io.kinline.store;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Debit and prepaid accounts. Deposits and adjustments only; spending goes through the billing
 * engine ({@code io.kinline.billing.Billing}) which holds and settles reservations.
 */
public interface Accounts {

    Optional<DebitAccount> debit(String inmateId);

    Optional<PrepaidAccount> prepaid(String btn);

    List<PrepaidAccount> prepaidAccounts();

    /**
     * Adds money (positive, scale ≤ 2) to the inmate's debit account, creating it if needed.
     *
     * @throws NotFoundException if there is no such inmate
     */
    DebitAccount depositDebit(String inmateId, BigDecimal amount);

    /** Adds money (positive, scale ≤ 2) to a BTN's prepaid account, creating it if needed. */
    PrepaidAccount depositPrepaid(String btn, BigDecimal amount);

    Optional<Reservation> reservation(String callId);

    /** Reservations still OPEN (calls in progress, or left over by a crash). */
    List<Reservation> openReservations();
}
