package io.kinline.admin.console;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Router;
import io.kinline.admin.http.SessionAuthenticator;
import io.kinline.admin.http.SessionCookies;
import io.kinline.admin.http.StaffSession;
import io.kinline.log.SafeText;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The console's own routes: the sign-in form and its POST, sign-out, the screens and their two static files.
 * They are public routes of the router (a browser without a session is sent to the sign-in form rather than
 * given a 401); each checks the session cookie itself. Every page is sent with a strict Content Security
 * Policy (scripts and styles from this server only, no framing).
 */
public final class ConsoleRoutes {

    private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
            + "object-src 'none'";
    private static final List<String> ASSETS = List.of("console.js", "console.css");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Store store;
    private final ConsoleSessions sessions;
    private final SignIn signIn;
    private final ConsoleConfig config;
    private final Clock clock;
    private final Consumer<String> signedOut;

    /** @param signedOut told the staff id of each sign-out (its live-listen sockets close) */
    public ConsoleRoutes(Store store, ConsoleSessions sessions, SignIn signIn, ConsoleConfig config, Clock clock,
                         Consumer<String> signedOut) {
        this.store = store;
        this.sessions = sessions;
        this.signIn = signIn;
        this.config = config;
        this.clock = clock;
        this.signedOut = signedOut;
    }

    public SessionAuthenticator sessions() {
        return sessions;
    }

    public void register(Router r) {
        r.addPublic("GET", "/console", this::home);
        r.addPublic("GET", "/console/login", req -> page(200, ConsoleViews.signIn(null, null), Map.of()));
        r.addPublic("POST", "/console/login", this::signIn);
        r.addPublic("POST", "/console/logout", this::signOut);
        r.addPublic("GET", "/console/static/{file}", this::asset);
        r.addPublic("GET", "/console/{page}", req -> screen(req, req.pathParam("page"), null));
        r.addPublic("GET", "/console/calls/{callId}", req -> screen(req, "call", req.pathParam("callId")));
    }

    private Optional<StaffSession> session(ApiRequest req) {
        return SessionCookies.sessionId(req.headers()).flatMap(sessions::authenticate);
    }

    private ApiResponse home(ApiRequest req) {
        return session(req).map(s -> redirect("/console/" + ConsolePage.home(role(s)).path, null))
                .orElseGet(() -> redirect("/console/login", null));
    }

    private ApiResponse screen(ApiRequest req, String name, String param) {
        Optional<StaffSession> s = session(req);
        if (s.isEmpty()) {
            return redirect("/console/login", null);
        }
        StaffRole role = role(s.get());
        Optional<ConsolePage> p = ConsolePage.byPath(name).filter(x -> x.visibleTo(role, s.get().principal().scoped()));
        if (p.isEmpty() || (p.get() == ConsolePage.CALL) != (param != null)) {
            return page(404, "<!doctype html><html lang=\"en\"><title>Not found</title><h1>Not found</h1>"
                    + "<p><a href=\"/console\">Back to the console</a></p></html>", Map.of());
        }
        return page(200, ConsoleViews.page(p.get(), role, s.get(), param), Map.of());
    }

    private ApiResponse signIn(ApiRequest req) {
        if (!SessionCookies.sameOrigin(req.headers(), true)) {
            throw ApiException.forbidden("sign-in must come from the console's own form");
        }
        Map<String, List<String>> form = form(req);
        String username = one(form, "username");
        String password = one(form, "password");
        String from = req.remote() instanceof InetSocketAddress a ? a.getHostString() : String.valueOf(req.remote());
        SignIn.Outcome o = signIn.attempt(username, password.toCharArray(), from);
        String shown = username.length() > 64 ? "" : username;
        return switch (o) {
            case SignIn.Outcome.SignedIn in -> {
                ConsoleSessions.Opened opened = sessions.open(in.account());
                log.info("{} signed in to the console from {}", in.account().username(), SafeText.escape(from));
                yield redirect("/console/" + ConsolePage.home(StaffRole.parse(in.account().role()).orElseThrow()).path,
                        cookie(req, opened.cookieValue(), (int) config.maxSessionAge().toSeconds()));
            }
            case SignIn.Outcome.Locked l -> page(429, ConsoleViews.signIn("Too many failed sign-ins: this account is "
                    + "locked until " + HHMM.format(l.until()) + ". An admin can unlock it sooner.", shown), Map.of());
            case SignIn.Outcome.Refused r -> page(401, ConsoleViews.signIn("Wrong username or password.", shown), Map.of());
        };
    }

    private ApiResponse signOut(ApiRequest req) {
        Optional<StaffSession> s = session(req);
        if (s.isPresent()) {
            String csrf = one(form(req), "csrf");
            if (!SessionCookies.sameOrigin(req.headers(), false) || !java.security.MessageDigest.isEqual(
                    csrf.getBytes(StandardCharsets.UTF_8), s.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw ApiException.forbidden("sign-out must come from the console's own form");
            }
            sessions.end(s.get());
            signedOut.accept(s.get().principal().tokenId());
            store.audit().append(AuditEntry.of(clock.instant(), s.get().principal().actor(), "staff.sign_out",
                    "staff:" + s.get().principal().tokenId(), null));
        }
        return redirect("/console/login", cookie(req, "", 0));
    }

    private ApiResponse asset(ApiRequest req) {
        String f = req.pathParam("file");
        if (!ASSETS.contains(f)) {
            throw ApiException.notFound("no such file");
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + f)) {
            if (in == null) {
                throw ApiException.notFound("no such file");
            }
            String type = f.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            return new ApiResponse.PageResponse(200, type, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
        } catch (IOException e) {
            throw ApiException.internal();
        }
    }

    private static StaffRole role(StaffSession s) {
        return StaffRole.parse(s.staffRole()).orElseThrow();
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure unless on a loopback name (see ConsoleConfig). */
    private String cookie(ApiRequest req, String value, int maxAge) {
        boolean secure = switch (config.secureCookie()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> !loopbackHost(req.headers().get("Host"));
        };
        return SessionCookies.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            return h.startsWith("[::1]");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.startsWith("127.");
    }

    private static Map<String, List<String>> form(ApiRequest req) {
        if (req.body() == null || req.body().length > 4096) {
            return Map.of();
        }
        try {
            return new QueryStringDecoder(new String(req.body(), StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                    .parameters();
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed("bad form");
        }
    }

    private static String one(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.size() != 1 ? "" : v.get(0);
    }

    private static ApiResponse redirect(String to, String cookie) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", to);
        if (cookie != null) {
            h.put("Set-Cookie", cookie);
        }
        return new ApiResponse.PageResponse(303, "text/plain; charset=utf-8", new byte[0], h);
    }

    private static ApiResponse page(int status, String html, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("Content-Security-Policy", CSP);
        h.put("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on form posts, and the
        // sign-in and sign-out checks need the real Origin.
        h.put("Referrer-Policy", "same-origin");
        return new ApiResponse.PageResponse(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), h);
    }
}
