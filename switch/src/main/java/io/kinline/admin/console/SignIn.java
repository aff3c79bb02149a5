package io.kinline.admin.console;

import io.kinline.store.AuditEntry;
import io.kinline.store.StaffAccount;
import io.kinline.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a username and password. Each attempt is counted before its password is checked (so parallel guesses
 * get no more checks than the limit); after {@link ConsoleConfig#maxFailedSignIns()} failures in a row the
 * account is locked for {@link ConsoleConfig#lockout()} (kept in the database, so a restart does not reset
 * it); every failure also waits longer before answering (250 ms doubling, at most 4 s), which slows guessing
 * from many addresses without locking anyone out for good. An unknown username costs the same Argon2 work,
 * answers the same words and locks the same way (counted in memory), so the form does not tell which
 * usernames exist. Successes, failures and locks are audited under the account.
 */
public final class SignIn {

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);
    static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._@-]{0,63}$");
    private static final int MAX_UNKNOWN = 10_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

    /** The result of one attempt. */
    public sealed interface Outcome {
        record SignedIn(StaffAccount account) implements Outcome {
        }

        record Refused() implements Outcome {
        }

        record Locked(Instant until) implements Outcome {
        }
    }

    private record Unknown(int failures, Instant lockedUntil, Instant at) {
    }

    private final Store store;
    private final PasswordHasher hasher;
    private final ConsoleConfig config;
    private final Clock clock;
    private final Map<String, Unknown> unknown = new ConcurrentHashMap<>();
    private volatile boolean backoff = true;

    public SignIn(Store store, PasswordHasher hasher, ConsoleConfig config, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** Tests of the lockout count turn the waiting off. */
    SignIn withoutBackoff() {
        backoff = false;
        return this;
    }

    public Outcome attempt(String rawUsername, char[] password, String from) {
        String username = rawUsername == null ? "" : rawUsername.strip().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        if (password.length == 0 || password.length > PasswordHasher.MAX_PASSWORD || !USERNAME.matcher(username).matches()) {
            return new Outcome.Refused();
        }
        StaffAccount a = store.staff().byUsername(username).orElse(null);
        if (a == null || a.disabled()) {
            return unknownUser(username, password, now);
        }
        if (a.lockedAt(now)) {
            return new Outcome.Locked(a.lockedUntil());
        }
        // Counted before the password is checked: of many parallel guesses only the first N are checked.
        int n = store.staff().countAttempt(a.id(), now);
        if (n > config.maxFailedSignIns()) {
            // Beyond the limit (a burst in parallel): locked without a check, and without an audit line
            // each, or a flood of guesses would flood the audit log too.
            Instant until = now.plus(config.lockout());
            store.staff().lock(a.id(), until);
            return new Outcome.Locked(until);
        }
        if (hasher.verify(password, a.passwordHash())) {
            store.staff().recordSuccess(a.id(), now);
            audit(a, "staff.sign_in", Map.of("from", from));
            return new Outcome.SignedIn(a);
        }
        audit(a, "staff.sign_in.failed", Map.of("from", from, "failures", n));
        if (n >= config.maxFailedSignIns()) {
            return lock(a, now, from, n);
        }
        wait(n);
        return new Outcome.Refused();
    }

    private Outcome lock(StaffAccount a, Instant now, String from, int n) {
        Instant until = now.plus(config.lockout());
        store.staff().lock(a.id(), until);
        audit(a, "staff.locked", Map.of("from", from, "until", until.toString()));
        log.warn("console account {} locked after {} sign-in attempts", a.username(), n);
        return new Outcome.Locked(until);
    }

    private Outcome unknownUser(String username, char[] password, Instant now) {
        hasher.burn(password);
        if (unknown.size() >= MAX_UNKNOWN) {
            unknown.values().removeIf(u -> u.at().plus(config.lockout()).isBefore(now));
            if (unknown.size() >= MAX_UNKNOWN) {
                unknown.clear();
            }
        }
        Unknown u = unknown.get(username);
        if (u != null && u.lockedUntil() != null && u.lockedUntil().isAfter(now)) {
            return new Outcome.Locked(u.lockedUntil());
        }
        int n = (u == null || u.lockedUntil() != null ? 0 : u.failures()) + 1;
        Instant until = n >= config.maxFailedSignIns() ? now.plus(config.lockout()) : null;
        unknown.put(username, new Unknown(n, until, now));
        if (until != null) {
            return new Outcome.Locked(until);
        }
        wait(n);
        return new Outcome.Refused();
    }

    private void wait(int failures) {
        if (!backoff) {
            return;
        }
        long ms = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failures - 1, 10));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void audit(StaffAccount a, String action, Map<String, ?> details) {
        String json;
        try {
            json = io.kinline.admin.http.Json.mapper().writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            json = null;
        }
        store.audit().append(AuditEntry.of(clock.instant(), "staff:" + a.id() + "(" + a.username() + ")", action,
                "staff:" + a.id(), json));
    }
}
