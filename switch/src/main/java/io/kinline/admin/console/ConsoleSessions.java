package io.kinline.admin.console;

import io.kinline.admin.Principal;
import io.kinline.admin.http.SessionAuthenticator;
import io.kinline.admin.http.StaffSession;
import io.kinline.store.PinHasher;
import io.kinline.store.StaffAccount;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in console sessions, in memory (a restart signs everyone out, which is the safe direction). The
 * cookie carries a random 256-bit id; only its SHA-256 is kept, so a heap dump does not hand out sessions.
 * A session ends on sign-out, after {@link ConsoleConfig#idleTimeout()} unused, after
 * {@link ConsoleConfig#maxSessionAge()} in all, or when its account is disabled or changed.
 */
public final class ConsoleSessions implements SessionAuthenticator {

    /** Bounds the map: a person rarely needs more than a few browsers. */
    static final int MAX_PER_ACCOUNT = 8;
    static final int MAX_TOTAL = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(StaffSession session, long staffId, Instant created, Instant lastUsed) {
    }

    /** A new session: the cookie value (shown once) and the session. */
    public record Opened(String cookieValue, StaffSession session) {
    }

    private final ConsoleConfig config;
    private final Clock clock;
    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();

    public ConsoleSessions(ConsoleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Opens a session for an account that has just signed in. */
    public Opened open(StaffAccount a) {
        StaffRole role = StaffRole.parse(a.role()).orElseThrow();
        sweep();
        if (byHash.size() >= MAX_TOTAL) {
            throw new IllegalStateException("too many console sessions");
        }
        endOldest(a.id());
        String id = random();
        Principal p = new Principal(String.valueOf(a.id()), a.username(), role.apiRole(), a.facilities(), null,
                Principal.STAFF);
        StaffSession s = new StaffSession(PinHasher.sha256Hex(id), p, role.wireName(), random(), role::allows);
        Instant now = clock.instant();
        byHash.put(s.id(), new Entry(s, a.id(), now, now));
        return new Opened(id, s);
    }

    @Override
    public Optional<StaffSession> authenticate(String cookieValue) {
        String h = PinHasher.sha256Hex(cookieValue);
        Entry e = byHash.get(h);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(e, now)) {
            byHash.remove(h, e);
            return Optional.empty();
        }
        if (e.lastUsed().plusSeconds(5).isBefore(now)) {
            byHash.replace(h, e, new Entry(e.session(), e.staffId(), e.created(), now));
        }
        return Optional.of(e.session());
    }

    /** Ends one session (sign-out). */
    public void end(StaffSession s) {
        byHash.remove(s.id());
    }

    /** Ends every session of an account (disabled, role or password changed). */
    public void endAll(long staffId) {
        byHash.values().removeIf(e -> e.staffId() == staffId);
    }

    int size() {
        return byHash.size();
    }

    private boolean expired(Entry e, Instant now) {
        return !e.lastUsed().plus(config.idleTimeout()).isAfter(now)
                || !e.created().plus(config.maxSessionAge()).isAfter(now);
    }

    private void sweep() {
        Instant now = clock.instant();
        byHash.values().removeIf(e -> expired(e, now));
    }

    private void endOldest(long staffId) {
        var mine = byHash.entrySet().stream().filter(x -> x.getValue().staffId() == staffId)
                .sorted(java.util.Comparator.comparing(x -> x.getValue().created())).toList();
        for (int i = 0; i <= mine.size() - MAX_PER_ACCOUNT; i++) {
            byHash.remove(mine.get(i).getKey());
        }
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
