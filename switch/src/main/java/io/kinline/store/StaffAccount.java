package io.kinline.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A person who signs in to the staff console. {@code role} is the console role's wire name ({@code admin},
 * {@code investigator}, {@code customer_service}, {@code facility_staff}); {@code passwordHash} an Argon2id
 * PHC string, never shown. {@code facilities} empty = all.
 */
public record StaffAccount(long id, String username, String displayName, String role, String passwordHash,
                           Set<String> facilities, int failedAttempts, Instant lockedUntil, Instant lastSignInAt,
                           Instant createdAt, Instant disabledAt) {
    public StaffAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        facilities = Set.copyOf(facilities == null ? Set.of() : facilities);
    }

    /** Whether sign-ins are refused at {@code now} because of failed attempts. */
    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public boolean disabled() {
        return disabledAt != null;
    }
}
