package io.kinline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Staff console accounts (issue 15). Usernames are stored lower-case and unique. */
public interface StaffAccounts {

    /** @throws ConflictException when the username is taken */
    StaffAccount create(String username, String displayName, String role, String passwordHash, Set<String> facilities);

    Optional<StaffAccount> byUsername(String username);

    Optional<StaffAccount> get(long id);

    List<StaffAccount> list();

    /**
     * Counts a sign-in attempt <em>before</em> its password is checked, atomically, and returns the count
     * (so parallel guesses each get their own number and none slips past the limit). A lock that has ended
     * by {@code now} is lifted and the count starts again at 1.
     */
    int countAttempt(long id, Instant now);

    /** Locks the account until {@code until}. */
    void lock(long id, Instant until);

    /** A successful sign-in: failures cleared, lock lifted, time kept. */
    void recordSuccess(long id, Instant at);

    /** Changes any of role, facilities (null = unchanged), password hash (null = unchanged); unlock clears failures. */
    boolean update(long id, String role, Set<String> facilities, String passwordHash, boolean unlock);

    /** Disables the account (sign-ins refused); false when unknown or already disabled. */
    boolean disable(long id, Instant at);

    /** Whether any enabled account has this role. */
    boolean anyEnabled(String role);
}
