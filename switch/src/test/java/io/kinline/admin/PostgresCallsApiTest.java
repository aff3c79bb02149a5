package io.kinline.admin;

/** {@link CallsApiTest} on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresCallsApiTest extends CallsApiTest {
}
