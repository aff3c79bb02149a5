package io.kinline.admin.http;

import io.kinline.admin.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method + path-template router. Templates are literal segments and {@code {name}} parameters, e.g.
 * {@code /api/inmates/{id}/approved-numbers/{number}}. Literal segments win over parameters at the same
 * position, so {@code /api/accounts/debit/{id}} and a hypothetical {@code /api/accounts/debit/summary}
 * can coexist. Matching is linear over the routes: there are a few dozen and it runs off the event loop.
 */
public final class Router {

    /** Who may use a route without a token. */
    public enum Access {
        /** A token with one of the route's roles. */
        TOKEN,
        /** Anyone (health). */
        PUBLIC,
        /** Anyone connecting from the loopback interface; a token with one of the roles from elsewhere. */
        LOOPBACK
    }

    /**
     * A registered route. {@code refusalAction}, when set, is the audit action written when an
     * authenticated caller is refused on it (403, 404, 416...): refusals on recordings, listening and call
     * records are evidence too.
     */
    public record Route(String method, String template, List<String> segments, Set<Role> roles, Access access,
                        String refusalAction, Handler handler) {
        boolean isPublic() {
            return access == Access.PUBLIC;
        }
    }

    /** The match: the route and the decoded path parameters. */
    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route open to the given roles. */
    public Router add(String method, String template, Set<Role> roles, Handler handler) {
        return add(method, template, roles, null, handler);
    }

    /** Adds a route open to the given roles whose refusals are audited as {@code refusalAction}. */
    public Router add(String method, String template, Set<Role> roles, String refusalAction, Handler handler) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("use addPublic for unauthenticated routes");
        }
        return register(method, template, EnumSet.copyOf(roles), Access.TOKEN, refusalAction, handler);
    }

    /** Adds a route that needs no token (health, metrics). */
    public Router addPublic(String method, String template, Handler handler) {
        return register(method, template, EnumSet.noneOf(Role.class), Access.PUBLIC, null, handler);
    }

    /** Adds a route open from loopback, and to the given roles from anywhere else ({@code /metrics}). */
    public Router addLoopback(String method, String template, Set<Role> roles, Handler handler) {
        return register(method, template, EnumSet.copyOf(roles), Access.LOOPBACK, null, handler);
    }

    private Router register(String method, String template, Set<Role> roles, Access access, String refusalAction,
                            Handler handler) {
        List<String> segs = split(template);
        for (Route r : routes) {
            if (r.method.equals(method) && r.segments.equals(segs)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + template);
            }
        }
        routes.add(new Route(method, template, segs, Collections.unmodifiableSet(roles), access, refusalAction,
                handler));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Finds the route for a raw (still percent-encoded) path.
     *
     * @throws ApiException 404 when no template matches the path, 405 (with Allow) when only the method is wrong
     */
    public Match match(String method, String rawPath) {
        List<String> raw = split(rawPath);
        List<String> path = new ArrayList<>(raw.size());
        for (String s : raw) {
            path.add(decodeSegment(s));
        }
        Match best = null;
        int bestScore = -1;
        Set<String> allow = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = tryMatch(r.segments, path);
            if (params == null) {
                continue;
            }
            if (!r.method.equals(method)) {
                allow.add(r.method);
                continue;
            }
            int score = literalScore(r.segments);
            if (score > bestScore) {
                best = new Match(r, params);
                bestScore = score;
            }
        }
        if (best != null) {
            return best;
        }
        if (!allow.isEmpty()) {
            throw ApiException.methodNotAllowed(allow);
        }
        throw ApiException.notFound("no such resource: " + rawPath);
    }

    private static int literalScore(List<String> segs) {
        int s = 0;
        for (String seg : segs) {
            s = s * 2 + (isParam(seg) ? 0 : 1);
        }
        return s;
    }

    private static boolean isParam(String seg) {
        return seg.length() > 2 && seg.charAt(0) == '{' && seg.charAt(seg.length() - 1) == '}';
    }

    private static Map<String, String> tryMatch(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (isParam(t)) {
                if (p.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params == null ? new HashMap<>() : params;
    }

    private static List<String> split(String path) {
        String p = path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return List.of();
        }
        return List.of(p.split("/", -1));
    }

    /**
     * Percent-decodes one path segment. Unlike form decoding, '+' stays a plus: E.164 numbers appear in
     * paths ({@code /api/blocks/+15551234567}).
     */
    static String decodeSegment(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw ApiException.malformed("bad percent-encoding in path");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.malformed("bad percent-encoding in path");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (n + b.length > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length + b.length * 2);
                }
                System.arraycopy(b, 0, out, n, b.length);
                n += b.length;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
