package io.kinline.admin;

/**
 * The inmate tests on PostgreSQL, where a failed statement aborts the whole transaction: checks that
 * change + audit roll back together there too.
 */
@AdminTestBase.OnPostgres
class PostgresInmateApiTest extends InmateApiTest {
}
