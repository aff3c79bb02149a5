package io.kinline.admin;

/** {@link IdPinSettingApiTest} on PostgreSQL (V44, the number look-up's LIKE). */
@AdminTestBase.OnPostgres
class PostgresIdPinSettingApiTest extends IdPinSettingApiTest {
}
