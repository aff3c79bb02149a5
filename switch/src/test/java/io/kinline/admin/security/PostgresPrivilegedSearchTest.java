package io.kinline.admin.security;

import io.kinline.admin.AdminTestBase;

/** The privileged-search tests on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresPrivilegedSearchTest extends PrivilegedSearchTest {
}
