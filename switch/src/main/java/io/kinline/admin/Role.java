package io.kinline.admin;

import java.util.Locale;
import java.util.Optional;

/** Roles an API token can carry. The wire name is the lower-case form used in JSON and the store. */
public enum Role {
    ADMIN("admin"),
    INVESTIGATOR("investigator"),
    CUSTOMER_SERVICE("customer_service");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name ("admin", "investigator", "customer_service"), case-insensitively. */
    public static Optional<Role> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.wireName.equals(k)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
