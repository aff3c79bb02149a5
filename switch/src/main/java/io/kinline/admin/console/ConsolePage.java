package io.kinline.admin.console;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The console's screens: path, title, who sees it (by staff role) and whether it spans every facility (then
 * an account limited to facilities does not see it). The navigation shows each person only their screens,
 * and the server refuses the others with 404, as the API does.
 */
enum ConsolePage {
    LIVE("live", "Live calls", EnumSet.of(StaffRole.ADMIN, StaffRole.INVESTIGATOR), false),
    CALLS("calls", "Call search", EnumSet.of(StaffRole.ADMIN, StaffRole.INVESTIGATOR, StaffRole.CUSTOMER_SERVICE), false),
    CALL("call", "Call detail", EnumSet.of(StaffRole.ADMIN, StaffRole.INVESTIGATOR), false),
    INCIDENTS("incidents", "Incidents", EnumSet.of(StaffRole.ADMIN, StaffRole.INVESTIGATOR), false),
    BLOCKS("blocks", "Blocks", EnumSet.allOf(StaffRole.class), false),
    ACCOUNTS("accounts", "Accounts", EnumSet.allOf(StaffRole.class), false),
    INMATES("inmates", "Inmates", EnumSet.allOf(StaffRole.class), false),
    FACILITY("facility", "Facility", EnumSet.of(StaffRole.ADMIN, StaffRole.FACILITY_STAFF), false),
    AUDIT("audit", "Audit log", EnumSet.of(StaffRole.ADMIN), true),
    STAFF("staff", "Staff", EnumSet.of(StaffRole.ADMIN), true);

    final String path;
    final String title;
    private final Set<StaffRole> roles;
    private final boolean everyFacility;

    ConsolePage(String path, String title, Set<StaffRole> roles, boolean everyFacility) {
        this.path = path;
        this.title = title;
        this.roles = roles;
        this.everyFacility = everyFacility;
    }

    boolean visibleTo(StaffRole role, boolean scoped) {
        return roles.contains(role) && !(everyFacility && scoped);
    }

    /** Shown in the navigation (call detail is reached from a search). */
    boolean inNav() {
        return this != CALL;
    }

    static Optional<ConsolePage> byPath(String p) {
        for (ConsolePage c : values()) {
            if (c.path.equals(p)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The first screen after sign-in. */
    static ConsolePage home(StaffRole role) {
        return switch (role) {
            case ADMIN, INVESTIGATOR -> LIVE;
            case CUSTOMER_SERVICE -> ACCOUNTS;
            case FACILITY_STAFF -> INMATES;
        };
    }
}
