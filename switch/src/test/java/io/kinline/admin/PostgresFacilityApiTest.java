package io.kinline.admin;

/** {@link FacilityApiTest} on PostgreSQL. */
@AdminTestBase.OnPostgres
class PostgresFacilityApiTest extends FacilityApiTest {
}
