package io.kinline.admin.http;

import io.kinline.admin.Principal;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request, detached from Netty buffers: the body was copied out on the event loop so the handler can
 * run on a virtual thread after the {@code FullHttpRequest} has been released.
 */
public final class ApiRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final SocketAddress remote;
    private Map<String, String> pathParams = Map.of();
    private String route = "unmatched";
    private Principal principal;
    private StaffSession session;
    private JsonBody json;

    public ApiRequest(String method, String path, Map<String, List<String>> query, HttpHeaders headers,
                      byte[] body, SocketAddress remote) {
        this.method = Objects.requireNonNull(method);
        this.path = Objects.requireNonNull(path);
        this.query = Map.copyOf(query);
        this.headers = headers;
        this.body = body;
        this.remote = remote;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public SocketAddress remote() {
        return remote;
    }

    /** The route template that matched, e.g. {@code /api/inmates/{id}} (a metrics tag). */
    public String route() {
        return route;
    }

    void matched(String template, Map<String, String> params) {
        this.route = template;
        this.pathParams = Map.copyOf(params);
    }

    void authenticated(Principal p) {
        this.principal = p;
    }

    void session(StaffSession s) {
        this.session = s;
    }

    /** The console session the request was authenticated by; null for a bearer token (or none). */
    public StaffSession session() {
        return session;
    }

    /** The caller; null only on routes that need no token. */
    public Principal principal() {
        return principal;
    }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("no path parameter " + name + " in " + route);
        }
        return v;
    }

    /** A single-valued query parameter; blank counts as absent. Repeating it is a 400. */
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw ApiException.validation(name, "query parameter " + name + " given more than once");
        }
        String s = v.get(0).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public Map<String, List<String>> queryParams() {
        return query;
    }

    /** The body parsed as a JSON object (cached). */
    public JsonBody json() {
        if (json == null) {
            String ct = headers.get("Content-Type");
            if (ct != null && !ct.isBlank() && !acceptable(ct.toLowerCase(java.util.Locale.ROOT))) {
                throw ApiException.unsupportedMediaType("expected application/json, got " + ct);
            }
            json = JsonBody.parse(body);
        }
        return json;
    }

    /**
     * JSON, or the types curl and simple clients send by default ({@code curl -d} says
     * application/x-www-form-urlencoded): the body is parsed as JSON either way.
     */
    private static boolean acceptable(String ct) {
        return ct.contains("json") || ct.startsWith("application/x-www-form-urlencoded")
                || ct.startsWith("text/plain");
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }
}
