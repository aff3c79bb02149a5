package io.kinline.admin;

/** The deposit history tests on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresDepositsApiTest extends DepositsApiTest {
}
