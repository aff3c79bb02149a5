package io.kinline.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The money side of the store, for the billing engine: holds and charges on accounts, reservations,
 * and a call's record written beside its charge. Each method is one statement (or one locked read);
 * the billing engine composes them with {@link Store#inTransaction}, so that, for example, a call's
 * charge, the release of its hold and its record commit together or not at all. Rows read "locked"
 * stay locked until that transaction ends.
 */
public interface Ledger {

    /** An account's money as the transaction sees it. */
    record Balance(BigDecimal balance, BigDecimal held) {
        public BigDecimal available() {
            return balance.subtract(held);
        }
    }

    /**
     * A reservation to open: the hold the billing engine decided on, and the call's parties for a
     * record written after a crash.
     */
    record NewReservation(String callId, AccountKind kind, String accountKey, BigDecimal amount, BigDecimal rate,
                          int roundingSeconds, int allowedSeconds, Instant createdAt, String facilityId,
                          String stationId, String inmateId, String dialed) {
    }

    /**
     * The account's balance and hold, locked: concurrent reservations against one account queue here, so
     * each sees the holds of those before it. Empty when there is no such account.
     */
    Optional<Balance> lockAccount(AccountKind kind, String accountKey);

    /** Adds {@code amount} to the hold unless the account's available money is less; returns whether it did. */
    boolean hold(AccountKind kind, String accountKey, BigDecimal amount);

    /** Takes {@code amount} off the hold, charging nothing. */
    void releaseHold(AccountKind kind, String accountKey, BigDecimal amount);

    /**
     * Debits {@code charge} and takes {@code held} off the hold.
     *
     * @throws StoreException when the account no longer exists
     */
    void charge(AccountKind kind, String accountKey, BigDecimal charge, BigDecimal held);

    /** Inserts an OPEN reservation and returns it as stored. */
    Reservation openReservation(NewReservation r);

    /** The call's reservation, locked when {@code lock}. */
    Optional<Reservation> reservation(String callId, boolean lock);

    /** Closes an OPEN reservation as {@code status} with its charge (nothing happens if it is not OPEN). */
    void closeReservation(long reservationId, Reservation.Status status, BigDecimal charge);

    /** The called party accepted: the first acceptance time sticks; the heartbeat starts there. */
    void accepted(String callId, Instant at);

    /** The call was alive at {@code at} (accepted, OPEN reservations only; never moves back). */
    void heartbeat(String callId, Instant at);

    Optional<CallRecord> callRecord(String callId);

    /** Writes the record unless the call has one (and removes the call's start row); returns what is stored. */
    CallRecord recordIfAbsent(CallRecord r);

    /** The start row of a call that has no record yet, locked; empty when there is none. */
    Optional<StartedCall> lockStarted(String callId);

    /**
     * The OPEN reservations of node {@code nodeId}'s calls, and those that name no node (older than node ids);
     * for a null {@code nodeId}, only those. Another node's are its live calls.
     */
    List<Reservation> openReservations(String nodeId);

    /** The start rows of node {@code nodeId}'s calls, and those that name no node; for null, only those. */
    List<StartedCall> unfinished(String nodeId);
}
