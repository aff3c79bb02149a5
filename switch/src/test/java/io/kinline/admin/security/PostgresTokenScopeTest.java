package io.kinline.admin.security;

import io.kinline.admin.AdminTestBase;

/** The token scope tests on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresTokenScopeTest extends TokenScopeTest {
}
