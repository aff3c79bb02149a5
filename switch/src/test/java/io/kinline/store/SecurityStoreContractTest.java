package io.kinline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's side of issue 11 and issue 10 item 6, on H2 and PostgreSQL: token expiry and facility scope,
 * idempotency keys, and call-record searches that leave out privileged calls and other facilities in the
 * query itself.
 */
abstract class SecurityStoreContractTest {

    @TempDir
    Path dir;
    Store store;

    abstract StoreConfig newConfig(Path dir);

    @BeforeEach
    void open() {
        store = Store.open(newConfig(dir));
        store.facilities().create(Facility.builder("fa").name("A").timezone(java.time.ZoneId.of("UTC")).build());
        store.facilities().create(Facility.builder("fb").name("B").timezone(java.time.ZoneId.of("UTC")).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void tokensExpireAndCarryTheirFacilities() {
        ApiToken.Issued t = store.tokens().issue("scoped", ApiToken.Role.INVESTIGATOR, Instant.now().plusSeconds(3600),
                Set.of("fa"));
        ApiToken found = store.tokens().authenticate(t.secret()).orElseThrow();
        assertEquals(Set.of("fa"), found.facilities());
        assertEquals(t.token().expiresAt(), found.expiresAt());
        ApiToken.Issued old = store.tokens().issue("old", ApiToken.Role.INVESTIGATOR, Instant.now().minusSeconds(1),
                Set.of());
        assertTrue(store.tokens().authenticate(old.secret()).isEmpty(), "an expired token authenticates nobody");
        assertEquals(Set.of(t.token().id()), store.tokens().stillActive(List.of(t.token().id(), old.token().id()),
                Instant.now()));
        store.tokens().revoke(t.token().id());
        assertEquals(Set.of(), store.tokens().stillActive(List.of(t.token().id()), Instant.now()));
        assertEquals(Set.of("fa"), store.tokens().get(t.token().id()).orElseThrow().facilities());
        assertThrows(ConflictException.class, () -> store.tokens().issue("nowhere", ApiToken.Role.ADMIN, null,
                Set.of("no-such-facility")));
    }

    @Test
    void idempotencyKeysAreClaimedOnceAndExpire() {
        Instant t0 = Instant.parse("2026-11-25T12:00:00Z");
        IdempotencyKeys keys = store.idempotencyKeys();
        store.inTransaction(() -> {
            keys.claim(7, "k1", "hash-a", t0, t0.minusSeconds(86_400));
            keys.complete(7, "k1", 201, "/api/x/1", "{\"id\":1}");
            return null;
        });
        IdempotencyKeys.Stored s = keys.find(7, "k1", t0.minusSeconds(86_400)).orElseThrow();
        assertEquals("hash-a", s.requestHash());
        assertEquals(201, s.status());
        assertEquals("{\"id\":1}", s.body());
        assertThrows(ConflictException.class, () -> keys.claim(7, "k1", "hash-b", t0, t0.minusSeconds(86_400)));
        keys.claim(8, "k1", "hash-c", t0, t0.minusSeconds(86_400)); // another token's key
        Instant later = t0.plusSeconds(90_000);
        assertTrue(keys.find(7, "k1", later.minusSeconds(86_400)).isEmpty(), "a day later it is gone");
        keys.claim(7, "k1", "hash-d", later, later.minusSeconds(86_400)); // and free again
        assertEquals(1, keys.purge(later.minusSeconds(86_400)), "purge removes the other old key");
    }

    @Test
    void callSearchesLeavePrivilegedCallsAndOtherFacilitiesOutBeforeTheLimit() {
        Instant t0 = Instant.parse("2026-11-20T15:00:00Z");
        store.calls().record(cdr("ordinary", "fa", t0, false));
        store.calls().record(cdr("attorney", "fa", t0.plusSeconds(60), true));
        store.calls().record(cdr("other-facility", "fb", t0.plusSeconds(120), false));
        CallQuery newest = new CallQuery(null, null, null, null, null, null, null, 1);
        assertEquals(List.of("other-facility"), ids(newest));
        assertEquals(List.of("ordinary"), ids(newest.visibleTo(Set.of("fa"), false)));
        assertEquals(List.of("attorney"), ids(newest.visibleTo(Set.of("fa"), true)));
        assertEquals(List.of(), ids(newest.visibleTo(Set.of(), true)));
        assertEquals(List.of("other-facility", "ordinary"),
                ids(new CallQuery(null, null, null, "+15735550100", null, null, null, 10).visibleTo(null, false)));
        store.incidents().record(Incident.of("fa", null, null, Incident.Type.PIN_FAILED, t0, null));
        store.incidents().record(Incident.of("fb", null, null, Incident.Type.PIN_FAILED, t0, null));
        assertEquals(1, store.incidents().list(null, null, null, null, null, 10, Set.of("fb")).size());
    }

    static CallRecord cdr(String id, String facility, Instant at, boolean privileged) {
        return CallRecord.builder(id).facility(facility).station("s").inmateId("i").dialed("+15735550100")
                .btn("+15735550100").funding(Funding.FREE).startedAt(at).endedAt(at.plusSeconds(30))
                .outcome(CallOutcome.COMPLETED).billedSeconds(0).charge(BigDecimal.ZERO).privileged(privileged).build();
    }

    List<String> ids(CallQuery q) {
        return store.calls().search(q).stream().map(CallRecord::callId).toList();
    }
}
