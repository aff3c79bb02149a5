package io.kinline.admin.http;

import io.kinline.admin.AdminConfig;
import io.kinline.admin.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The live-listen sessions of the admin server: the caps (per token and per call), and the end of every
 * session whose token stops being valid. A revocation through this server ends its token's sessions at
 * once ({@link #revoked(long)}); an expiry is noticed by a sweep every {@value #SWEEP_MILLIS} ms, and so
 * is a revocation made elsewhere (another node on the same PostgreSQL), which the sweep asks the
 * database about. So a revoked or expired token listens for well under a second more.
 */
public final class ListenSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ListenSessions.class);
    static final long SWEEP_MILLIS = 250;

    /** A session's slot; {@link #release()} gives it back (idempotent). */
    public final class Slot {
        final Principal who;
        final String callId;
        private volatile Consumer<String> closer;
        private boolean released;

        private Slot(Principal who, String callId) {
            this.who = who;
            this.callId = callId;
        }

        /** How to end the session, with the reason for the audit line (thread-safe, non-blocking). */
        void onEnd(Consumer<String> c) {
            this.closer = c;
        }

        public void release() {
            synchronized (ListenSessions.this) {
                if (released) {
                    return;
                }
                released = true;
                slots.remove(this);
                perToken.computeIfPresent(who.actor(), (k, n) -> n <= 1 ? null : n - 1);
                perCall.computeIfPresent(callId, (k, n) -> n <= 1 ? null : n - 1);
            }
        }

        private void end(String reason) {
            Consumer<String> c = closer;
            if (c != null) {
                c.accept(reason);
            }
        }
    }

    private final AdminConfig.ListenLimits limits;
    private final Clock clock;
    /** Of these token ids, the ones still valid now (the database's view). */
    private final BiFunction<Set<Long>, Instant, Set<Long>> stillActive;
    private final Set<Slot> slots = new HashSet<>();
    private final Map<String, Integer> perToken = new HashMap<>();
    private final Map<String, Integer> perCall = new HashMap<>();
    private ScheduledExecutorService sweeper;

    public ListenSessions(AdminConfig.ListenLimits limits, Clock clock,
                          BiFunction<Set<Long>, Instant, Set<Long>> stillActive) {
        this.limits = limits;
        this.clock = clock;
        this.stillActive = stillActive;
    }

    /**
     * Takes a slot for {@code who} on {@code callId}.
     *
     * @throws ApiException 429 when the token or the call has all its listeners
     */
    synchronized Slot reserve(Principal who, String callId) {
        if (perToken.getOrDefault(who.actor(), 0) >= limits.perToken()) {
            throw ApiException.tooMany("this token already listens to " + limits.perToken() + " calls");
        }
        if (perCall.getOrDefault(callId, 0) >= limits.perCall()) {
            throw ApiException.tooMany("call " + callId + " already has " + limits.perCall() + " listeners");
        }
        Slot s = new Slot(who, callId);
        slots.add(s);
        perToken.merge(who.actor(), 1, Integer::sum);
        perCall.merge(callId, 1, Integer::sum);
        return s;
    }

    /** A person signed out or was disabled: the live-listen sessions of that staff account end now. */
    public void staffSignedOut(String staffId) {
        for (Slot s : snapshot()) {
            if (!s.who.isToken() && s.who.tokenId().equals(staffId)) {
                s.end("signed out");
            }
        }
    }

    /** A token was revoked here: its sessions end now. */
    public void revoked(long tokenId) {
        String id = String.valueOf(tokenId);
        for (Slot s : snapshot()) {
            if (s.who.isToken() && s.who.tokenId().equals(id)) {
                s.end("token revoked");
            }
        }
    }

    private synchronized List<Slot> snapshot() {
        return new ArrayList<>(slots);
    }

    /** Starts the sweep (idempotent). */
    public synchronized void start() {
        if (sweeper == null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kinline-listen-sweep");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void sweep() {
        try {
            List<Slot> all = snapshot();
            if (all.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            Set<Long> ids = new HashSet<>();
            for (Slot s : all) {
                if (s.who.expiresAt() != null && !s.who.expiresAt().isAfter(now)) {
                    s.end("token expired");
                } else if (s.who.isToken()) { // a console session ends with its sign-out (staffSignedOut)
                    ids.add(Long.parseLong(s.who.tokenId()));
                }
            }
            if (ids.isEmpty()) {
                return;
            }
            Set<Long> valid = stillActive.apply(ids, now);
            for (Slot s : all) {
                if (s.who.isToken() && !valid.contains(Long.parseLong(s.who.tokenId()))) {
                    s.end("token revoked");
                }
            }
        } catch (RuntimeException e) {
            // The database is away: keep the sessions (their audit lines exist) and try again.
            log.warn("cannot check the tokens of live-listen sessions: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }
}
