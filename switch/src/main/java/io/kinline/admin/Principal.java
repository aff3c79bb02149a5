package io.kinline.admin;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the API: a machine's token or a person signed in to the console. {@code tokenId} and
 * {@code name} (the token's, or the staff account's id and username) go into the audit log under
 * {@code kind} ({@value #TOKEN} or {@value #STAFF}); then the role, the facilities it is limited to (empty =
 * all) and when it expires (null = never).
 */
public record Principal(String tokenId, String name, Role role, Set<String> facilities, Instant expiresAt,
                        String kind) {
    /** A machine's API token. */
    public static final String TOKEN = "token";
    /** A person signed in to the staff console. */
    public static final String STAFF = "staff";

    public Principal {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        facilities = Set.copyOf(Objects.requireNonNullElse(facilities, Set.of()));
        kind = Objects.requireNonNullElse(kind, TOKEN);
    }

    /** An API token's principal. */
    public Principal(String tokenId, String name, Role role, Set<String> facilities, Instant expiresAt) {
        this(tokenId, name, role, facilities, expiresAt, TOKEN);
    }

    /** Whether this is an API token (not a person's console session). */
    public boolean isToken() {
        return TOKEN.equals(kind);
    }

    /** A principal that sees every facility and does not expire. */
    public Principal(String tokenId, String name, Role role) {
        this(tokenId, name, role, Set.of(), null);
    }

    /** The actor string written to the audit log, e.g. {@code token:3(ops-admin)} or {@code staff:2(jsmith)}. */
    public String actor() {
        return kind + ":" + tokenId + "(" + name + ")";
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
