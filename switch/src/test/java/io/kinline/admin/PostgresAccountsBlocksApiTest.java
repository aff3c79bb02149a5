package io.kinline.admin;

/** The account and block tests on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresAccountsBlocksApiTest extends AccountsBlocksApiTest {
}
