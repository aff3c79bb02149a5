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

    /**
     * Adds money (positive, scale ≤ 2) to an account, creating it if needed, and records the
     * {@link Deposit} in the same transaction. {@link #depositDebit} and {@link #depositPrepaid} are
     * this with {@code by = "system"} and no reference.
     *
     * @param account inmate id (DEBIT) or BTN (PREPAID)
     * @param by      who deposits (the API actor)
     * @param reference free text (at most 200 characters) or {@code null}
     * @throws NotFoundException for a DEBIT deposit to an unknown inmate
     */
    Deposit deposit(AccountKind kind, String account, BigDecimal amount, String by, String reference);

    /**
     * The account's deposits, newest first: at most {@code limit}, only those with an id below
     * {@code beforeId} when it is not {@code null} (the paging cursor). Empty for an unknown account.
     */
    List<Deposit> deposits(AccountKind kind, String account, Long beforeId, int limit);

    Optional<Reservation> reservation(String callId);

    /** Reservations still OPEN (calls in progress, or left over by a crash). */
    List<Reservation> openReservations();
}
