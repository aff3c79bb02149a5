package io.kinline.admin;

import java.util.Objects;

/**
 * Who is calling the API: the token's id and name (both go into the audit log) and its role.
 */
public record Principal(String tokenId, String name, Role role) {
    public Principal {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** The actor string written to the audit log, e.g. {@code token:3(ops-admin)}. */
    public String actor() {
        return "token:" + tokenId + "(" + name + ")";
    }
}
