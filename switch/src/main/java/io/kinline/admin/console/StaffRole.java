package io.kinline.admin.console;

import io.kinline.admin.Role;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person does in the console, mapped onto the API's token roles so that the API's role matrix and
 * facility scope apply unchanged. Facility staff manage inmates, stations, facility rules, blocks and
 * accounts of their own facilities: an admin token role limited to those facilities, further kept away from
 * call records, recordings, incidents and live calls (and so from every privileged call) by an allow-list
 * of API routes.
 */
public enum StaffRole {
    ADMIN("admin", Role.ADMIN),
    INVESTIGATOR("investigator", Role.INVESTIGATOR),
    CUSTOMER_SERVICE("customer_service", Role.CUSTOMER_SERVICE),
    FACILITY_STAFF("facility_staff", Role.ADMIN);

    /** The API routes facility staff may use (prefixes of route templates). */
    private static final List<String> FACILITY_STAFF_ROUTES = List.of("/api/facilities", "/api/stations",
            "/api/inmates", "/api/blocks", "/api/accounts", "/api/evidence/public-key", "/api/session");

    private final String wireName;
    private final Role apiRole;

    StaffRole(String wireName, Role apiRole) {
        this.wireName = wireName;
        this.apiRole = apiRole;
    }

    public String wireName() {
        return wireName;
    }

    /** The token role whose API rights the person has. */
    public Role apiRole() {
        return apiRole;
    }

    /** Facility staff must be limited to facilities; the others may be. */
    public boolean needsFacilities() {
        return this == FACILITY_STAFF;
    }

    /** Whether a session of this role may use the API route {@code template} (beyond the role matrix). */
    public boolean allows(String template) {
        if (this != FACILITY_STAFF) {
            return true;
        }
        for (String p : FACILITY_STAFF_ROUTES) {
            if (template.equals(p) || template.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Whether call records, recordings and live calls are for this role (the console shows them). */
    public boolean seesCalls() {
        return this == ADMIN || this == INVESTIGATOR;
    }

    public static Optional<StaffRole> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String k = s.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (StaffRole r : values()) {
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
