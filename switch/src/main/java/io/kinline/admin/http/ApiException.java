package io.kinline.admin.http;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failed request, rendered as RFC 9457 problem details. Thrown by handlers; the dispatcher turns it
 * into the response, so handlers never build error responses themselves.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final List<String> allow;
    private final boolean wwwAuthenticate;
    private final Map<String, String> headers;

    private ApiException(int status, String type, String title, String detail, String field,
                         List<String> allow, boolean wwwAuthenticate) {
        this(status, type, title, detail, field, allow, wwwAuthenticate, Map.of());
    }

    private ApiException(int status, String type, String title, String detail, String field,
                         List<String> allow, boolean wwwAuthenticate, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: these are expected outcomes
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.allow = allow;
        this.wwwAuthenticate = wwwAuthenticate;
        this.headers = headers;
    }

    /** The same problem with a response header added (e.g. {@code Content-Range} on a 416). */
    public ApiException withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiException(status, type, title, getMessage(), field, allow, wwwAuthenticate, Map.copyOf(h));
    }

    /** Extra response headers. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException validation(String field, String detail) {
        return new ApiException(400, "validation", "Invalid request", detail, field, List.of(), false);
    }

    public static ApiException malformed(String detail) {
        return new ApiException(400, "malformed-request", "Malformed request", detail, null, List.of(), false);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Unauthorized", detail, null, List.of(), true);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Forbidden", detail, null, List.of(), false);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail, null, List.of(), false);
    }

    /** A reference in the body names something that does not exist (e.g. an unknown facility). */
    public static ApiException unknownReference(String field, String detail) {
        return new ApiException(400, "unknown-reference", "Unknown reference", detail, field, List.of(), false);
    }

    public static ApiException methodNotAllowed(Collection<String> allow) {
        List<String> a = List.copyOf(allow);
        return new ApiException(405, "method-not-allowed", "Method not allowed",
                "allowed: " + String.join(", ", a), null, a, false);
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(409, "conflict", "Conflict", detail, field, List.of(), false);
    }

    public static ApiException tooLarge(long max) {
        return new ApiException(413, "payload-too-large", "Payload too large",
                "request body exceeds " + max + " bytes", null, List.of(), false);
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(415, "unsupported-media-type", "Unsupported media type", detail, null,
                List.of(), false);
    }

    public static ApiException rangeNotSatisfiable(String detail) {
        return new ApiException(416, "range-not-satisfiable", "Range not satisfiable", detail, null,
                List.of(), false);
    }

    /** 307: the resource is served by another node of the cluster (the caller adds the Location header). */
    public static ApiException elsewhere(String detail) {
        return new ApiException(307, "carried-by-another-node", "Carried by another node", detail, null, List.of(),
                false);
    }

    /** The same Idempotency-Key was used with another request (RFC draft-ietf-httpapi-idempotency-key). */
    public static ApiException unprocessable(String field, String detail) {
        return new ApiException(422, "idempotency-key-reused", "Idempotency-Key reused", detail, field, List.of(),
                false);
    }

    /** A limit on what one caller may hold at once (listeners per token or per call). */
    public static ApiException tooMany(String detail) {
        return new ApiException(429, "too-many", "Too many", detail, null, List.of(), false);
    }

    public static ApiException internal() {
        return new ApiException(500, "internal-error", "Internal error",
                "the request failed; nothing was changed", null, List.of(), false);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, null, List.of(), false);
    }

    public int status() {
        return status;
    }

    /** Short slug; the problem "type" URI is {@code urn:kinline:problem:<slug>}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** The offending JSON field or parameter for validation errors, else null. */
    public String field() {
        return field;
    }

    public List<String> allow() {
        return allow;
    }

    public boolean wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
