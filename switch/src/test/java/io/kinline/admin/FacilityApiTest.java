package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FacilityApiTest extends AdminTestBase {

    @Test
    void createGetListPatchFacility() {
        JsonNode f = ok(201, post("/api/facilities", adminToken, """
                {"id":"north","name":"North Unit","timezone":"America/New_York","languageMenu":false,
                 "defaultLanguage":"es","phoneHours":{"start":"07:00","end":"22:30"},"maxCallMinutes":20,
                 "callsPerDay":5,"cooldownSeconds":600,"reminderMinutes":4,"ratePerMinute":"0.09",
                 "warningSeconds":30,"pinLength":6,"approvedListRequired":true,"allowInternational":true,
                 "answerTimeoutSeconds":40,"rates":{"international":"0.2500"},"state":"mo",
                 "localNpas":["573"],"monthlyMinutes":300}"""));
        assertEquals("north", f.get("id").asText());
        assertEquals("07:00", f.at("/phoneHours/start").asText());
        assertEquals("22:30", f.at("/phoneHours/end").asText());
        assertFalse(f.at("/phoneHours/always").asBoolean());
        assertEquals("0.09", f.get("ratePerMinute").asText());
        assertEquals("0.25", f.at("/rates/international").asText());
        assertEquals("0.09", f.at("/rates/local").asText());
        assertEquals(6, f.get("pinLength").asInt());
        assertEquals("MO", f.get("state").asText());
        assertEquals(300, f.get("monthlyMinutes").asInt());
        assertEquals("es", f.get("defaultLanguage").asText());
        assertFalse(f.get("consentDuringNotice").asBoolean(), "the safe default: the notice is heard first");

        JsonNode got = ok(200, get("/api/facilities/north", csToken));
        assertEquals("North Unit", got.get("name").asText());
        assertEquals("America/New_York", got.get("timezone").asText());
        assertTrue(texts(ok(200, get("/api/facilities", investigatorToken)).get("facilities"), "id").contains("north"));

        JsonNode p = ok(200, patch("/api/facilities/north", adminToken,
                "{\"phoneHours\":{\"start\":\"00:00\",\"end\":\"24:00\"},\"ratePerMinute\":\"0.0525\","
                        + "\"maxCallMinutes\":10,\"monthlyMinutes\":null,\"rates\":{\"international\":null},"
                        + "\"consentDuringNotice\":true}"));
        assertTrue(p.get("consentDuringNotice").asBoolean());
        assertTrue(store.facilities().get("north").orElseThrow().consentDuringNotice(), "stored");
        assertTrue(p.at("/phoneHours/always").asBoolean());
        assertEquals("24:00", p.at("/phoneHours/end").asText());
        assertEquals("0.0525", p.get("ratePerMinute").asText());
        assertEquals("0.0525", p.at("/rates/international").asText());
        assertEquals(10, p.get("maxCallMinutes").asInt());
        assertTrue(p.get("monthlyMinutes").isNull());
        assertEquals("North Unit", p.get("name").asText(), "untouched fields keep their values");
        assertEquals(20 - 10, 20 - p.get("maxCallMinutes").asInt());

        List<AuditEntry> audit = store.audit().list(null, "facility:north", null, null, 10);
        assertEquals(List.of("facility.update", "facility.create"), audit.stream().map(AuditEntry::action).toList());
        assertTrue(audit.get(0).actor().contains("alice-admin"), audit.get(0).actor());
        assertTrue(audit.get(0).details().contains("maxCallMinutes"), audit.get(0).details());
    }

    @Test
    void facilityValidation() {
        problem(400, "name", post("/api/facilities", adminToken, "{\"id\":\"x1\",\"timezone\":\"UTC\"}"));
        problem(400, "id", post("/api/facilities", adminToken, "{\"name\":\"n\",\"timezone\":\"UTC\"}"));
        problem(400, "id", post("/api/facilities", adminToken, "{\"id\":\"../etc\",\"name\":\"n\",\"timezone\":\"UTC\"}"));
        problem(400, "timezone", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"Mars/Olympus\"}"));
        problem(400, "maxCallMinutes", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"maxCallMinutes\":\"15\"}"));
        problem(400, "maxCallMinutes", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"maxCallMinutes\":0}"));
        problem(400, "languageMenu", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"languageMenu\":\"yes\"}"));
        problem(400, "consentDuringNotice", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"consentDuringNotice\":1}"));
        problem(400, "phoneHours.start", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"phoneHours\":{\"start\":\"7am\",\"end\":\"22:00\"}}"));
        problem(400, "phoneHours.end", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"phoneHours\":{\"start\":\"07:00\"}}"));
        problem(400, "phoneHours.end", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"phoneHours\":{\"start\":\"07:00\",\"end\":\"24:30\"}}"));
        problem(400, "ratePerMinute", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"ratePerMinute\":\"-0.06\"}"));
        problem(400, "rates.local", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"rates\":{\"local\":\"abc\"}}"));
        problem(400, "rates.lokal", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"rates\":{\"lokal\":\"0.01\"}}"));
        problem(400, "colour", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"n\",\"timezone\":\"UTC\",\"colour\":\"red\"}"));
        problem(400, null, post("/api/facilities", adminToken, "{\"id\":\"x1\","));
        problem(400, "name", post("/api/facilities", adminToken,
                "{\"id\":\"x1\",\"name\":\"" + "n".repeat(201) + "\",\"timezone\":\"UTC\"}"));
        String npas = "[" + String.join(",", java.util.Collections.nCopies(201, "\"573\"")) + "]";
        ok(201, post("/api/facilities", adminToken, "{\"id\":\"npa\",\"name\":\"n\",\"timezone\":\"UTC\",\"localNpas\":" + npas + "}"));
        StringBuilder many = new StringBuilder("[");
        for (int i = 200; i <= 400; i++) {
            many.append(i == 200 ? "" : ",").append('"').append(i).append('"');
        }
        problem(400, "localNpas", patch("/api/facilities/npa", adminToken, "{\"localNpas\":" + many + "]}"));
        problem(400, "defaultLanguage", patch("/api/facilities/npa", adminToken, "{\"defaultLanguage\":\"en-verylongtag\"}"));
        problem(404, null, get("/api/facilities/x1", adminToken)); // nothing was created by the failures
        problem(404, null, patch("/api/facilities/nope", adminToken, "{\"name\":\"n\"}"));
        problem(404, null, get("/api/facilities/nope", adminToken));

        facility("dup");
        problem(409, "id", post("/api/facilities", adminToken, "{\"id\":\"dup\",\"name\":\"n\",\"timezone\":\"UTC\"}"));
        problem(400, "maxCallMinutes", patch("/api/facilities/dup", adminToken, "{\"maxCallMinutes\":-1}"));
        problem(403, null, post("/api/facilities", investigatorToken, "{\"id\":\"z\",\"name\":\"n\",\"timezone\":\"UTC\"}"));
        problem(403, null, patch("/api/facilities/dup", csToken, "{\"name\":\"x\"}"));
    }

    @Test
    void pinLengthCannotChangeUnderInmates() {
        facility("pl");
        ok(200, patch("/api/facilities/pl", adminToken, "{\"pinLength\":5}"));
        inmate("pl-1", "pl", "12345");
        problem(409, "pinLength", patch("/api/facilities/pl", adminToken, "{\"pinLength\":4,\"name\":\"Renamed\"}"));
        assertEquals("Facility pl", ok(200, get("/api/facilities/pl", adminToken)).get("name").asText(),
                "a rejected PATCH changes nothing");
    }

    @Test
    void housingUnits() {
        facility("hu");
        JsonNode u = ok(201, post("/api/facilities/hu/housing-units", adminToken,
                "{\"id\":\"hu-seg\",\"name\":\"Seg\",\"segregation\":true,\"phoneHours\":{\"start\":\"09:00\",\"end\":\"17:00\"},"
                        + "\"segregationHours\":{\"start\":\"10:00\",\"end\":\"11:00\"},\"segregationCallsPerDay\":1}"));
        assertEquals("hu", u.get("facility").asText());
        assertTrue(u.get("segregation").asBoolean());
        assertEquals("10:00", u.at("/segregationHours/start").asText());
        assertEquals(List.of("hu-seg"), texts(ok(200, get("/api/facilities/hu/housing-units", csToken))
                .get("housingUnits"), "id"));
        problem(409, "id", post("/api/facilities/hu/housing-units", adminToken, "{\"id\":\"hu-seg\",\"name\":\"Again\"}"));
        problem(404, null, post("/api/facilities/nope/housing-units", adminToken, "{\"id\":\"q\",\"name\":\"Q\"}"));
        problem(400, "name", post("/api/facilities/hu/housing-units", adminToken, "{\"id\":\"q\"}"));
        JsonNode p = ok(200, patch("/api/facilities/hu/housing-units/hu-seg", adminToken,
                "{\"segregation\":false,\"phoneHours\":null}"));
        assertFalse(p.get("segregation").asBoolean());
        assertTrue(p.get("phoneHours").isNull());
        assertEquals("Seg", ok(200, get("/api/facilities/hu/housing-units/hu-seg", adminToken)).get("name").asText());
        problem(404, null, get("/api/facilities/hu/housing-units/none", adminToken));
    }

    @Test
    void stations() {
        facility("st");
        ok(201, post("/api/facilities/st/housing-units", adminToken, "{\"id\":\"st-a\",\"name\":\"A\"}"));
        JsonNode s = ok(201, post("/api/stations", adminToken,
                "{\"id\":\"st-h1\",\"facility\":\"st\",\"kind\":\"handset\",\"housingUnit\":\"st-a\"}"));
        assertEquals("handset", s.get("kind").asText());
        assertEquals("st-a", s.get("housingUnit").asText());
        ok(201, post("/api/stations", adminToken, "{\"id\":\"st-t1\",\"facility\":\"st\",\"kind\":\"tablet\"}"));
        JsonNode g = ok(200, get("/api/stations/st-t1", investigatorToken));
        assertEquals("tablet", g.get("kind").asText());
        assertTrue(g.get("housingUnit").isNull());
        assertEquals(List.of("st-h1", "st-t1"),
                texts(ok(200, get("/api/facilities/st/stations", adminToken)).get("stations"), "id").stream().sorted().toList());
        problem(409, "id", post("/api/stations", adminToken, "{\"id\":\"st-h1\",\"facility\":\"st\",\"kind\":\"handset\"}"));
        problem(400, "facility", post("/api/stations", adminToken, "{\"id\":\"st-x\",\"facility\":\"nope\",\"kind\":\"handset\"}"));
        problem(400, "kind", post("/api/stations", adminToken, "{\"id\":\"st-x\",\"facility\":\"st\",\"kind\":\"payphone\"}"));
        problem(400, "housingUnit", post("/api/stations", adminToken,
                "{\"id\":\"st-x\",\"facility\":\"st\",\"kind\":\"tablet\",\"housingUnit\":\"nope\"}"));
        problem(404, null, get("/api/stations/st-x", adminToken));
        problem(403, null, get("/api/stations/st-t1", csToken));
        problem(403, null, post("/api/stations", investigatorToken, "{\"id\":\"st-y\",\"facility\":\"st\",\"kind\":\"tablet\"}"));
    }
}
