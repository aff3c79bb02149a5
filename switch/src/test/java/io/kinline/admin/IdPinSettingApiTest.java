package io.kinline.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.Facility;
import io.kinline.store.Inmates;
import org.junit.jupiter.api.Test;

/**
 * The facility's {@code identification} setting (issue 10.3) through the admin API, and the store's look-up of an
 * inmate by number and PIN that the call flow uses in {@code id_pin} mode.
 */
class IdPinSettingApiTest extends AdminTestBase {

    @Test
    void pinByDefaultIdPinByPatchAndBadValuesAreRefused() {
        JsonNode f = ok(201, post("/api/facilities", adminToken, "{\"id\":\"idp\",\"name\":\"Idp\",\"timezone\":\"UTC\"}"));
        assertEquals("pin", f.get("identification").asText());
        assertEquals(Facility.Identification.PIN, store.facilities().get("idp").orElseThrow().identification());
        inmate("A1001", "idp", "4321");
        inmate("B1002", "idp", "4322");
        assertEquals("1001", ok(200, get("/api/inmates/A1001", adminToken)).get("number").asText());

        JsonNode p = ok(200, patch("/api/facilities/idp", adminToken, "{\"identification\":\"id_pin\"}"));
        assertEquals("id_pin", p.get("identification").asText());
        assertEquals(Facility.Identification.ID_PIN, store.facilities().get("idp").orElseThrow().identification());
        assertEquals("id_pin", ok(200, get("/api/facilities/idp", investigatorToken)).get("identification").asText());

        problem(400, "identification", patch("/api/facilities/idp", adminToken, "{\"identification\":\"pin_id\"}"));
        problem(400, "identification", patch("/api/facilities/idp", adminToken, "{\"identification\":1}"));
        problem(400, "identification", patch("/api/facilities/idp", adminToken, "{\"identification\":\"ID PIN\"}"));
        problem(403, null, patch("/api/facilities/idp", csToken, "{\"identification\":\"pin\"}"));
        assertEquals(Facility.Identification.ID_PIN, store.facilities().get("idp").orElseThrow().identification(),
                "refused changes change nothing");
        assertTrue(ok(200, get("/api/audit?action=facility.update", adminToken)).toString().contains("id_pin"));
    }

    @Test
    void aFacilityWhoseInmateNumbersCollideCannotSwitchToIdPin() {
        ok(201, post("/api/facilities", adminToken, "{\"id\":\"clash\",\"name\":\"Clash\",\"timezone\":\"UTC\"}"));
        inmate("A2001", "clash", "5001");
        inmate("B2001", "clash", "5002");
        JsonNode n = problem(409, "identification", patch("/api/facilities/clash", adminToken,
                "{\"identification\":\"id_pin\"}"));
        assertTrue(n.get("detail").asText().contains("2001: A2001, B2001"), n.toString());
        assertEquals(Facility.Identification.PIN, store.facilities().get("clash").orElseThrow().identification());
    }

    @Test
    void anIdPinFacilityRefusesAnInmateWhoseNumberIsTaken() {
        ok(201, post("/api/facilities", adminToken, "{\"id\":\"own\",\"name\":\"Own\",\"timezone\":\"UTC\"}"));
        ok(200, patch("/api/facilities/own", adminToken, "{\"identification\":\"id_pin\"}"));
        inmate("A3001", "own", "6001");
        problem(409, "id", post("/api/inmates", adminToken,
                "{\"id\":\"X-3001\",\"name\":\"X\",\"facility\":\"own\",\"pin\":\"6002\"}"));
        problem(400, "id", post("/api/inmates", adminToken,
                "{\"id\":\"nodigits\",\"name\":\"X\",\"facility\":\"own\",\"pin\":\"6003\"}"));
        assertTrue(store.inmates().get("X-3001").isEmpty());
    }

    @Test
    void theStoreFindsOneInmateByNumberAndChecksTheirPinOnly() {
        ok(201, post("/api/facilities", adminToken, "{\"id\":\"num\",\"name\":\"Num\",\"timezone\":\"UTC\"}"));
        inmate("A4001", "num", "7001");
        inmate("A4002", "num", "7002");
        inmate("C-7", "num", "7003");
        inmate("D7", "num", "7004"); // shares 7 with C-7
        Inmates in = store.inmates();

        Inmates.NumberAndPin right = in.findByNumber("num", "4001", "7001");
        assertEquals("A4001", right.inmate().id());
        assertTrue(right.pinMatches());
        Inmates.NumberAndPin othersPin = in.findByNumber("num", "4001", "7002");
        assertEquals("A4001", othersPin.inmate().id(), "the number names the inmate");
        assertFalse(othersPin.pinMatches(), "another inmate's PIN is a wrong PIN");
        assertNull(in.findByNumber("num", "9999", "7001").inmate(), "an unknown number names nobody");
        assertNull(in.findByNumber("num", "7", "7003").inmate(), "a shared number names nobody");
        assertNull(in.findByNumber("num", "40", "7001").inmate(), "a part of a number names nobody");
        assertNull(in.findByNumber("num", "%", "7001").inmate(), "not digits");
        assertNull(in.findByNumber("num", "", "7001").inmate());
        assertFalse(in.findByNumber("num", "4001", "").pinMatches());
        assertFalse(in.findByNumber("num", "4001", "70a1").pinMatches());
        assertNull(in.findByNumber("other", "4001", "7001").inmate(), "the look-up stays in the facility");
    }
}
