package io.kinline.admin.security;

import io.kinline.admin.AdminTestBase;

/** The idempotency tests on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresIdempotencyTest extends IdempotencyTest {
}
