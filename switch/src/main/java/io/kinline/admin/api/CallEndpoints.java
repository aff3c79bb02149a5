package io.kinline.admin.api;

import io.kinline.admin.RecordingAccess;
import io.kinline.admin.Role;
import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.RangedContent;
import io.kinline.admin.http.Router;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallQuery;
import io.kinline.store.CallRecord;
import io.kinline.store.Incident;
import io.kinline.store.Store;

import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Call records, incidents and recordings. */
final class CallEndpoints {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallEndpoints.class);
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    static final int MAX_LIMIT = 1000;

    private final Store store;
    private final Audit audit;
    private final Path recordingsDir;
    private final Supplier<RecordingAccess> recordings;

    CallEndpoints(Store store, Audit audit, Path recordingsDir, Supplier<RecordingAccess> recordings) {
        this.store = store;
        this.audit = audit;
        this.recordingsDir = recordingsDir.toAbsolutePath().normalize();
        this.recordings = recordings;
    }

    void register(Router r) {
        r.add("GET", "/api/cdrs", Roles.ALL, "cdr.refused", this::cdrs);
        r.add("GET", "/api/cdrs/{callId}", Roles.STAFF, "cdr.refused", this::cdr);
        r.add("GET", "/api/incidents", Roles.STAFF, this::incidents);
        r.add("GET", "/api/recordings/{callId}", Roles.STAFF, "recording.refused", this::recording);
        r.add("GET", "/api/evidence/public-key", Roles.ALL, this::publicKey);
    }

    private static int limit(ApiRequest req) {
        return Inputs.limit(req, 100, MAX_LIMIT);
    }

    private ApiResponse cdrs(ApiRequest req) {
        Role role = req.principal().role();
        String btn = req.query("btn").map(v -> NumberInput.e164("btn", v)).orElse(null);
        if (role == Role.CUSTOMER_SERVICE && btn == null) {
            throw ApiException.forbidden("customer service may search call records only by btn");
        }
        String inmate = req.query("inmate").orElse(null);
        String facility = req.query("facility").orElse(null);
        String dialed = req.query("dialed").map(v -> NumberInput.e164("dialed", v)).orElse(null);
        Instant from = req.query("from").map(v -> Inputs.instant("from", v)).orElse(null);
        Instant to = req.query("to").map(v -> Inputs.instant("to", v)).orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.validation("to", "to must be after from");
        }
        CallOutcome outcome = req.query("outcome").map(v -> {
            List<String> names = EnumSet.allOf(CallOutcome.class).stream().map(CallOutcome::wireName).toList();
            return CallOutcome.fromWire(Inputs.oneOf("outcome", v, names.toArray(String[]::new)));
        }).orElse(null);
        boolean admin = role == Role.ADMIN;
        // Privileged calls (attorneys, hotlines) do not exist for anyone but admins: not their number, not
        // that they happened. Both this and the token's facilities are applied in the query.
        // A SIP Call-ID of either leg (several calls may share one: the switch's callId is the key).
        String sipCallId = req.query("sipCallId").map(v -> {
            if (v.isEmpty() || v.length() > 256) {
                throw ApiException.validation("sipCallId", "sipCallId must be 1 to 256 characters");
            }
            return v;
        }).orElse(null);
        CallQuery q = new CallQuery(facility, btn, inmate, dialed, from, to, outcome, limit(req))
                .withSipCallId(sipCallId).visibleTo(Scope.facilities(req), admin);
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallRecord r : store.calls().search(q)) {
            // A CS agent searching a BTN sees that BTN's calls; they already know the number.
            out.add(Views.cdr(r, admin || role == Role.CUSTOMER_SERVICE, role != Role.CUSTOMER_SERVICE));
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        for (String k : List.of("btn", "inmate", "facility", "dialed", "from", "to", "outcome", "sipCallId", "limit")) {
            req.query(k).ifPresent(v -> filters.put(k, v));
        }
        // Who searched for what, and how much they saw: written before the answer leaves.
        audit.record(req.principal(), "cdr.search", null, Views.obj("filters", filters, "results", out.size()));
        return ApiResponse.ok(Views.obj("count", out.size(), "cdrs", out));
    }

    private ApiResponse cdr(ApiRequest req) {
        String id = req.pathParam("callId");
        boolean admin = req.principal().role() == Role.ADMIN;
        CallRecord r = store.calls().get(id).filter(x -> admin || !x.privileged())
                .filter(x -> req.principal().sees(x.facility()))
                .orElseThrow(() -> ApiException.notFound("no call " + id));
        audit.record(req.principal(), "cdr.read", "call:" + id, Map.of());
        return ApiResponse.ok(Views.cdr(r, admin, true));
    }

    private ApiResponse incidents(ApiRequest req) {
        String inmate = req.query("inmate").orElse(null);
        String facility = req.query("facility").orElse(null);
        Incident.Type type = req.query("type").map(v -> {
            String[] names = EnumSet.allOf(Incident.Type.class).stream().map(Views::wire).toArray(String[]::new);
            return Incident.Type.valueOf(Inputs.oneOf("type", v, names).toUpperCase(Locale.ROOT));
        }).orElse(null);
        Instant from = req.query("from").map(v -> Inputs.instant("from", v)).orElse(null);
        Instant to = req.query("to").map(v -> Inputs.instant("to", v)).orElse(null);
        List<Map<String, Object>> out = new ArrayList<>();
        store.incidents().list(facility, inmate, type, from, to, limit(req), Scope.facilities(req))
                .forEach(i -> out.add(Views.incident(i)));
        return ApiResponse.ok(Views.obj("count", out.size(), "incidents", out));
    }

    /** The PEM of the key that signs the evidence manifests (docs/EVIDENCE.md); 404 when there is none. */
    private ApiResponse publicKey(ApiRequest req) {
        String pem = recordings.get().publicKeyPem();
        if (pem == null) {
            throw ApiException.notFound("no evidence signing key");
        }
        return new ApiResponse.TextResponse(200, "application/x-pem-file", pem);
    }

    /**
     * Streams a call's WAV (an encrypted recording decrypted) with its RFC 9530 {@code Repr-Digest}: the SHA-256
     * sealed in the call record when the recording was closed, so a file changed since does not match what the
     * client receives. 404 when the call is unknown, privileged (never recorded), or has no file. The download
     * is audited before the first byte is sent; if the audit cannot be written, nothing is.
     */
    private ApiResponse recording(ApiRequest req) {
        String id = req.pathParam("callId");
        if (!CALL_ID.matcher(id).matches()) {
            throw ApiException.notFound("no recording for " + id);
        }
        MDC.put("callId", id);
        try {
            return recording(req, id);
        } finally {
            MDC.remove("callId");
        }
    }

    private ApiResponse recording(ApiRequest req, String id) {
        CallRecord r = store.calls().get(id).filter(x -> req.principal().sees(x.facility()))
                .orElseThrow(() -> ApiException.notFound("no recording for " + id));
        if (r.privileged()) {
            // Never recorded; and said exactly as for an unknown call, which is what it is to non-admins.
            throw ApiException.notFound("no recording for " + id);
        }
        Path file = resolve(r);
        if (file == null || !Files.isRegularFile(file)) {
            throw ApiException.notFound("no recording for " + id);
        }
        RangedContent content;
        String sha256;
        try {
            // A record from before recordings were sealed (or one that could not be) gets the digest of the file
            // as it is now.
            sha256 = r.recordingSha256() != null ? r.recordingSha256() : recordings.get().sha256(file);
            content = recordings.get().open(file);
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("no recording for " + id);
        } catch (IOException e) {
            log.error("recording {} cannot be read: {}", file, e.toString());
            throw ApiException.internal();
        }
        try {
            // A range past the end (of the WAV served, decrypted or not) is refused, and the refusal audited,
            // before any download is.
            ApiResponse.requireSatisfiable(req.headers().get("Range"), content.size());
            log.info("recording {} downloaded by {}", id, req.principal().actor());
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            if (req.headers().contains("Range")) {
                details.put("range", req.headers().get("Range"));
            }
            details.put("sha256", sha256);
            audit.record(req.principal(), "recording.download", "call:" + id, details);
        } catch (RuntimeException e) {
            closeQuietly(content);
            throw e;
        }
        return new ApiResponse.ContentResponse(content, "audio/wav", id + ".wav", req.headers().get("Range"),
                Map.of("Repr-Digest", reprDigest(sha256)));
    }

    /** RFC 9530 {@code Repr-Digest} of a hex SHA-256: of the whole WAV, also on a 206. */
    static String reprDigest(String sha256Hex) {
        return "sha-256=:" + java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha256Hex))
                + ":";
    }

    private static void closeQuietly(RangedContent c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing was sent
        }
    }

    /** The recording path from the CDR (relative to the recordings directory) or {@code <callId>.wav}. */
    private Path resolve(CallRecord r) {
        String name = r.recording() != null ? r.recording() : r.callId() + ".wav";
        Path p = recordingsDir.resolve(name).toAbsolutePath().normalize();
        // Absolute paths in the CDR are accepted only inside the recordings directory.
        if (!p.startsWith(recordingsDir)) {
            return null;
        }
        return p;
    }
}
