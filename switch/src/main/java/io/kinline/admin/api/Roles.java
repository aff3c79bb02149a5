package io.kinline.admin.api;

import io.kinline.admin.Role;

import java.util.EnumSet;
import java.util.Set;

/** Role sets used by the route table (see the matrix in docs/API.md). */
final class Roles {
    static final Set<Role> ALL = EnumSet.allOf(Role.class);
    static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.INVESTIGATOR);
    static final Set<Role> MONEY = EnumSet.of(Role.ADMIN, Role.CUSTOMER_SERVICE);

    private Roles() {
    }
}
