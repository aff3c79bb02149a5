package io.kinline.admin.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a browser's request is authenticated by its console session cookie, the same way wherever it arrives
 * (the dispatcher, the body gate, the live-listen WebSocket).
 *
 * <p>Cross-site request forgery is refused twice over: the cookie is {@code SameSite=Strict} (a browser
 * does not send it on a request started by another site), and every state-changing request must carry
 * the session's anti-CSRF token in {@code X-CSRF-Token} (a header another site's form cannot set) and,
 * when the browser names one, an {@code Origin} equal to this server's. A WebSocket upgrade (which CORS
 * does not protect) must come with a same-origin {@code Origin}.
 */
public final class SessionCookies {

    /** The console's session cookie. */
    public static final String COOKIE = "kl_session";
    /** The header that carries the anti-CSRF token on state-changing requests. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final int MAX_ID = 128;

    private SessionCookies() {
    }

    /** The session id in the Cookie header, if any (a malformed header counts as none). */
    public static Optional<String> sessionId(HttpHeaders headers) {
        String h = headers.get("Cookie");
        if (h == null || h.length() > 8192) {
            return Optional.empty();
        }
        try {
            for (Cookie c : ServerCookieDecoder.STRICT.decode(h)) {
                if (COOKIE.equals(c.name()) && !c.value().isEmpty() && c.value().length() <= MAX_ID) {
                    return Optional.of(c.value());
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The session of this request, checked for CSRF when the method changes state.
     *
     * @return empty when the request has no session cookie or it names no live session
     * @throws ApiException 403 when the session is live but the request fails the CSRF checks
     */
    public static Optional<StaffSession> authenticate(SessionAuthenticator sessions, String method,
                                                      HttpHeaders headers) {
        Optional<StaffSession> s = sessionId(headers).flatMap(sessions::authenticate);
        if (s.isPresent() && !SAFE.contains(method.toUpperCase(Locale.ROOT))) {
            if (!sameOrigin(headers, false)) {
                throw ApiException.forbidden("cross-origin request refused");
            }
            String sent = headers.get(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    s.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw ApiException.forbidden("missing or wrong " + CSRF_HEADER + " header");
            }
        }
        return s;
    }

    /**
     * Whether {@code Origin} names this server (scheme aside: behind a TLS proxy the browser says https).
     * A request without Origin passes unless {@code required} (browsers send it on every cross-origin request
     * and on every POST; WebSocket upgrades always carry it).
     */
    public static boolean sameOrigin(HttpHeaders headers, boolean required) {
        String origin = headers.get("Origin");
        if (origin == null) {
            return !required;
        }
        String host = headers.get("Host");
        if (host == null || "null".equals(origin)) {
            return false;
        }
        try {
            URI u = URI.create(origin);
            String authority = u.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
