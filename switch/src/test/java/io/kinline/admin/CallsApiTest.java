package io.kinline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.store.AuditEntry;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.Funding;
import io.kinline.store.Incident;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallsApiTest extends AdminTestBase {

    static final Instant T0 = Instant.parse("2026-11-20T15:00:00Z");
    static byte[] wav;

    @BeforeAll
    static void data() throws Exception {
        facility("cf");
        inmate("c1", "cf", "2001");
        inmate("c2", "cf", "2002");
        store.calls().record(cdr("call-1", "c1", "+15735550401", T0, CallOutcome.COMPLETED, "call-1.wav", false));
        store.calls().record(cdr("call-2", "c1", "+15735550402", T0.plusSeconds(3600), CallOutcome.REFUSED, null, false));
        store.calls().record(cdr("call-3", "c2", "+15735550401", T0.plusSeconds(7200), CallOutcome.COMPLETED, null, false));
        store.calls().record(cdr("call-priv", "c2", "+13145550199", T0.plusSeconds(9000), CallOutcome.COMPLETED,
                null, true));
        store.calls().record(cdr("call-nofile", "c2", "+15735550401", T0.plusSeconds(9500), CallOutcome.COMPLETED,
                "call-nofile.wav", false));
        wav = new byte[50_000];
        Arrays.fill(wav, (byte) 7);
        wav[0] = 'R';
        wav[49_999] = 9;
        Files.write(dir.resolve("recordings").resolve("call-1.wav"), wav);
        // a file with the privileged call's name must still never be served
        Files.write(dir.resolve("recordings").resolve("call-priv.wav"), wav);
        store.incidents().record(Incident.of("cf", "c1", "call-9", Incident.Type.TOLL_FREE_ATTEMPT, T0, "dialed 1800"));
        store.incidents().record(Incident.of("cf", "c2", null, Incident.Type.PIN_FAILED, T0.plusSeconds(5), null));
    }

    static CallRecord cdr(String id, String inmate, String dialed, Instant at, CallOutcome outcome, String rec,
                          boolean privileged) {
        boolean talked = outcome == CallOutcome.COMPLETED;
        return CallRecord.builder(id).facility("cf").station("st-1").inmateId(inmate).dialed(dialed).btn(dialed)
                .funding(privileged ? Funding.FREE : Funding.PREPAID).startedAt(at)
                .acceptedAt(talked ? at.plusSeconds(20) : null).endedAt(at.plusSeconds(300)).outcome(outcome)
                .billedSeconds(talked ? 300 : 0).charge(talked ? new BigDecimal("0.30") : BigDecimal.ZERO)
                .recording(rec).privileged(privileged).build();
    }

    @Test
    void searchCdrs() {
        JsonNode all = ok(200, get("/api/cdrs", investigatorToken));
        assertEquals(4, all.get("count").asInt(), "the privileged call is not there for investigators");
        assertEquals(5, ok(200, get("/api/cdrs", adminToken)).get("count").asInt());
        JsonNode byBtn = ok(200, get("/api/cdrs?btn=%2B15735550401", adminToken));
        assertEquals(List.of("call-1", "call-3", "call-nofile"), texts(byBtn.get("cdrs"), "callId").stream().sorted().toList());
        JsonNode byInmate = ok(200, get("/api/cdrs?inmate=c1&outcome=refused", investigatorToken));
        assertEquals(List.of("call-2"), texts(byInmate.get("cdrs"), "callId"));
        JsonNode c2 = ok(200, get("/api/cdrs?inmate=c1&outcome=completed", investigatorToken)).get("cdrs").get(0);
        assertEquals("0.30", c2.get("charge").asText());
        assertEquals("prepaid", c2.get("funding").asText());
        assertEquals("/api/recordings/call-1", c2.get("recordingUrl").asText());
        assertEquals(T0, Instant.parse(c2.get("startedAt").asText()));
        JsonNode range = ok(200, get("/api/cdrs?from=2026-11-20T15:30:00Z&to=2026-11-20T17:30:00Z", adminToken));
        assertEquals(List.of("call-2", "call-3"), texts(range.get("cdrs"), "callId").stream().sorted().toList());
        assertEquals(1, ok(200, get("/api/cdrs?limit=1", adminToken)).get("count").asInt());

        problem(400, "outcome", get("/api/cdrs?outcome=great", adminToken));
        problem(400, "from", get("/api/cdrs?from=yesterday", adminToken));
        problem(400, "to", get("/api/cdrs?from=2026-11-21&to=2026-11-20", adminToken));
        problem(400, "limit", get("/api/cdrs?limit=0", adminToken));
        problem(400, "btn", get("/api/cdrs?btn=xyz", adminToken));
    }

    @Test
    void customerServiceSeesCallsOnlyByBtn() {
        problem(403, null, get("/api/cdrs", csToken));
        problem(403, null, get("/api/cdrs?inmate=c1", csToken));
        JsonNode r = ok(200, get("/api/cdrs?btn=5735550402", csToken));
        assertEquals(List.of("call-2"), texts(r.get("cdrs"), "callId"));
        assertTrue(!r.get("cdrs").get(0).has("recordingUrl"), "CS is not shown recordings");
    }

    @Test
    void privilegedCallsAreInvisibleToInvestigators() {
        JsonNode inv = ok(200, get("/api/cdrs?inmate=c2", investigatorToken));
        assertTrue(!texts(inv.get("cdrs"), "callId").contains("call-priv"), inv.toString());
        JsonNode adm = ok(200, get("/api/cdrs/call-priv", adminToken));
        assertEquals("+13145550199", adm.get("dialed").asText());
        assertTrue(adm.get("privileged").asBoolean());
        problem(404, null, get("/api/cdrs/call-priv", investigatorToken));
        problem(404, null, get("/api/cdrs/none", adminToken));
    }

    @Test
    void incidents() {
        JsonNode all = ok(200, get("/api/incidents", investigatorToken));
        assertEquals(2, all.get("count").asInt());
        JsonNode tf = ok(200, get("/api/incidents?inmate=c1&type=toll_free_attempt", adminToken));
        assertEquals(1, tf.get("count").asInt());
        assertEquals("toll_free_attempt", tf.at("/incidents/0/type").asText());
        assertEquals("call-9", tf.at("/incidents/0/callId").asText());
        assertEquals(0, ok(200, get("/api/incidents?inmate=c2&type=toll_free_attempt", adminToken)).get("count").asInt());
        problem(400, "type", get("/api/incidents?type=murder", adminToken));
        problem(403, null, get("/api/incidents", csToken));
    }

    @Test
    void recordingDownloadIsStreamedAndAudited() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/recordings/call-1"))
                .header("Authorization", "Bearer " + investigatorToken).build();
        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(String.valueOf(wav.length), r.headers().firstValue("Content-Length").orElse(""));
        assertArrayEquals(wav, r.body());
        // RFC 9530: the digest of the representation (a record without a sealed digest: of the file as it is).
        String digest = "sha-256=:" + java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(wav)) + ":";
        assertEquals(digest, r.headers().firstValue("Repr-Digest").orElse(""));
        List<AuditEntry> audit = store.audit().list(null, "call:call-1", null, null, 10);
        assertEquals(1, audit.size());
        assertEquals("recording.download", audit.get(0).action());
        assertEquals("token:" + investigatorTokenId + "(ivan-investigator)", audit.get(0).actor());

        HttpRequest part = HttpRequest.newBuilder(URI.create(base + "/api/recordings/call-1"))
                .header("Authorization", "Bearer " + adminToken).header("Range", "bytes=49990-").build();
        HttpResponse<byte[]> p = client.send(part, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, p.statusCode());
        assertArrayEquals(Arrays.copyOfRange(wav, 49_990, 50_000), p.body());
        assertEquals(digest, p.headers().firstValue("Repr-Digest").orElse(""), "of the whole WAV, also on a 206");
        assertEquals(2, store.audit().list(null, "call:call-1", null, null, 10).size());
    }

    @Test
    void recordingAccessRules() {
        problem(403, null, get("/api/recordings/call-1", csToken));
        problem(401, null, get("/api/recordings/call-1", null));
        problem(401, null, get("/api/recordings/call-1", "bogus"));
        problem(401, null, get("/api/recordings/call-1", revokedToken));
        problem(404, null, get("/api/recordings/call-priv", adminToken));
        problem(404, null, get("/api/recordings/call-2", adminToken));
        problem(404, null, get("/api/recordings/call-nofile", adminToken));
        problem(404, null, get("/api/recordings/nope", adminToken));
        problem(404, null, get("/api/recordings/..%2F..%2Fdb", adminToken));
        // Nothing was downloaded; the refusal itself is on record.
        assertEquals(List.of("recording.refused"), store.audit().list(null, "call:call-priv", null, null, 10).stream()
                .map(AuditEntry::action).toList());
        problem(404, null, get("/api/evidence/public-key", adminToken)); // no evidence store wired here
    }

    @Test
    void activeCalls() {
        activeCalls.clear();
        activeCalls.add(new ActiveCallView("live-1", "cf", "st-1", "c1", "+15735550401", "talking",
                T0, T0.plusSeconds(15), false));
        activeCalls.add(new ActiveCallView("live-2", "cf", "st-2", "c2", "+13145550199", "ringing",
                T0, null, true));
        JsonNode inv = ok(200, get("/api/calls", investigatorToken));
        assertEquals(1, inv.get("count").asInt(), "a privileged call is not there for investigators");
        assertEquals("talking", inv.at("/calls/0/state").asText());
        assertEquals("+15735550401", inv.at("/calls/0/dialed").asText());
        JsonNode adm = ok(200, get("/api/calls", adminToken));
        assertEquals(2, adm.get("count").asInt());
        assertEquals("+13145550199", adm.at("/calls/1/dialed").asText());
        assertTrue(adm.at("/calls/1/acceptedAt").isNull());
        problem(403, null, get("/api/calls", csToken));
        activeCalls.clear();
        assertEquals(0, ok(200, get("/api/calls", adminToken)).get("count").asInt());
    }
}
