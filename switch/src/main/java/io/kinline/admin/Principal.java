package io.kinline.admin;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the API: the token's id and name (both go into the audit log), its role, the facilities
 * it is limited to (empty = all) and when it expires (null = never).
 */
public record Principal(String tokenId, String name, Role role, Set<String> facilities, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        facilities = Set.copyOf(Objects.requireNonNullElse(facilities, Set.of()));
    }

    /** A principal that sees every facility and does not expire. */
    public Principal(String tokenId, String name, Role role) {
        this(tokenId, name, role, Set.of(), null);
    }

    /** The actor string written to the audit log, e.g. {@code token:3(ops-admin)}. */
    public String actor() {
        return "token:" + tokenId + "(" + name + ")";
    }

    /** Whether the token is limited to some facilities. */
    public boolean scoped() {
        return !facilities.isEmpty();
    }

    /** Whether the token may see {@code facilityId} (a record of no facility is seen only unscoped). */
    public boolean sees(String facilityId) {
        return !scoped() || (facilityId != null && facilities.contains(facilityId));
    }
}
