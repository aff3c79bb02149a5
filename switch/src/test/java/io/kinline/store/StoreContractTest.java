package io.kinline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store behaviour, run against every supported database by the subclasses. */
abstract class StoreContractTest {

    @TempDir
    Path dataDir;

    StoreConfig config;
    Store store;

    static final Instant T0 = Instant.parse("2026-03-10T15:00:00Z");

    abstract StoreConfig newConfig(Path dir);

    @BeforeEach
    void open() {
        config = newConfig(dataDir);
        store = Store.open(config);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    void reopen() {
        store.close();
        store = Store.open(config);
    }

    Facility facility(String id) {
        return Facility.builder(id).name("Facility " + id).timezone(ZoneId.of("America/Chicago"))
                .localNpas(List.of("573")).stateNpas(List.of("314", "573")).state("MO").build();
    }

    Facility createFacility(String id) {
        return store.facilities().create(facility(id));
    }

    // ------------------------------------------------------------------ schema

    @Test
    void migrationRunsOnceAndSurvivesReopen() {
        assertTrue(store.facilities().list().isEmpty());
        createFacility("f1");
        reopen(); // Flyway finds every migration applied and does nothing
        assertEquals(List.of("f1"), store.facilities().list().stream().map(Facility::id).toList());
    }

    // ------------------------------------------------------------------ facilities

    @Test
    void facilityRoundTripKeepsEveryField() {
        Facility f = Facility.builder("f1").name("North").namePrompt("prompts/north.wav")
                .timezone(ZoneId.of("America/New_York")).languageMenu(false).defaultLanguage("es")
                .allowInternational(true).phoneHours(PhoneHours.parse("07:00-24:00")).maxCallMinutes(10)
                .callsPerDay(3).monthlyMinutes(300).cooldownSeconds(120).reminderMinutes(4).warningSeconds(30)
                .pinLength(6).pinMaxAttempts(5).pinLockMinutes(30).approvedListRequired(true)
                .rates(new RateTable(new BigDecimal("0.06"), Map.of(CallType.INTERNATIONAL, new BigDecimal("0.2150"))))
                .answerTimeoutSeconds(25).consentRepeats(3).billingRoundingSeconds(6).state("NY")
                .localNpas(List.of("212", "646")).stateNpas(List.of("212", "518", "646"))
                .consentDuringNotice(true).threeWay(Facility.ThreeWay.DISCONNECT).build();
        store.facilities().create(f);
        Facility back = store.facilities().get("f1").orElseThrow();
        assertEquals(f.phoneHours(), back.phoneHours());
        assertEquals("24:00", back.phoneHours().endText());
        assertEquals(0, new BigDecimal("0.2150").compareTo(back.rates().rateFor(CallType.INTERNATIONAL)));
        assertEquals(0, new BigDecimal("0.06").compareTo(back.rates().rateFor(CallType.LOCAL)));
        assertEquals(Integer.valueOf(300), back.monthlyMinutes());
        assertEquals(List.of("212", "646"), back.localNpas());
        // Everything else equal field by field (rates compared above by value).
        assertEquals(f.toBuilder().rates(back.rates()).build(), back);

        assertEquals(Facility.ThreeWay.DISCONNECT, back.threeWay());
        Facility patched = store.facilities().update(back.toBuilder().monthlyMinutes(null)
                .phoneHours(PhoneHours.ALWAYS).threeWay(Facility.ThreeWay.WARN).build());
        Facility again = store.facilities().get("f1").orElseThrow();
        assertNull(again.monthlyMinutes());
        assertTrue(again.phoneHours().always());
        assertEquals(Facility.ThreeWay.WARN, again.threeWay());
        assertEquals(patched, again);
        assertThrows(ConflictException.class, () -> store.facilities().create(f));
        assertThrows(NotFoundException.class, () -> store.facilities().update(facility("nope")));
    }

    @Test
    void stationsAndUnits() {
        createFacility("f1");
        store.facilities().createUnit(new HousingUnit("seg", "f1", "Seg", PhoneHours.parse("08:00-20:00"), true,
                PhoneHours.parse("09:00-10:00"), 1));
        store.facilities().createStation(new Station("1001", "f1", Station.Kind.HANDSET, "seg"));
        store.facilities().createStation(new Station("2001", "f1", Station.Kind.TABLET, null));
        Station s = store.facilities().station("1001").orElseThrow();
        assertEquals("f1", s.facilityId());
        assertEquals("seg", s.housingUnitId());
        assertTrue(store.facilities().station("9999").isEmpty());
        assertEquals(2, store.facilities().stations("f1").size());
        HousingUnit u = store.facilities().unit("seg").orElseThrow();
        assertEquals(PhoneHours.parse("09:00-10:00"), u.effectiveHours(store.facilities().get("f1").orElseThrow()));
        assertEquals(Integer.valueOf(1), u.segregationCallsPerDay());
        assertThrows(ConflictException.class,
                () -> store.facilities().createStation(new Station("1001", "f1", Station.Kind.HANDSET, null)));
        // A station must belong to an existing facility.
        assertThrows(ConflictException.class,
                () -> store.facilities().createStation(new Station("3001", "nope", Station.Kind.HANDSET, null)));
        assertTrue(store.facilities().deleteStation("2001"));
        assertFalse(store.facilities().deleteStation("2001"));
    }

    // ------------------------------------------------------------------ inmates and PINs

    @Test
    void pinIsStoredHashedAndFoundByFacilityAndPin() {
        createFacility("f1");
        createFacility("f2");
        Inmate john = store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        store.inmates().create(Inmate.of("B1", "f2", "Other", "en", null), "1234"); // same PIN, other facility
        assertTrue(john.pinHash().startsWith("pbkdf2$"));
        assertFalse(john.pinHash().contains("1234"));
        assertEquals(4, john.pinHash().split("\\$").length);

        assertEquals("A1", store.inmates().findByPin("f1", "1234").orElseThrow().id());
        assertEquals("B1", store.inmates().findByPin("f2", "1234").orElseThrow().id());
        assertTrue(store.inmates().findByPin("f1", "1235").isEmpty());
        assertTrue(store.inmates().findByPin("f1", "12a4").isEmpty());
        assertTrue(store.inmates().findByPin("f3", "1234").isEmpty());

        // PINs are unique within a facility.
        assertThrows(ConflictException.class,
                () -> store.inmates().create(Inmate.of("A2", "f1", "Dup", "en", null), "1234"));
        store.inmates().create(Inmate.of("A2", "f1", "Jane", "es", null), "9999");
        assertThrows(ConflictException.class, () -> store.inmates().setPin("A2", "1234"));
        store.inmates().setPin("A1", "4321");
        assertTrue(store.inmates().findByPin("f1", "1234").isEmpty());
        assertEquals("A1", store.inmates().findByPin("f1", "4321").orElseThrow().id());
        // A PIN verified once (remembered in memory) is found again, and wrong PINs still are not.
        assertEquals("A1", store.inmates().findByPin("f1", "4321").orElseThrow().id());
        assertTrue(store.inmates().findByPin("f1", "4322").isEmpty());
        assertEquals("A2", store.inmates().findByPin("f1", "9999").orElseThrow().id());
        // The pepper lives in the data dir and survives a restart.
        reopen();
        assertEquals("A1", store.inmates().findByPin("f1", "4321").orElseThrow().id());
    }

    @Test
    void pinFailuresLockAfterMaxAttempts() {
        createFacility("f1");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        Duration lock = Duration.ofMinutes(15);
        Inmate i = store.inmates().recordPinFailure("A1", 3, lock, T0);
        assertEquals(1, i.pinFailures());
        assertFalse(i.pinLockedAt(T0));
        store.inmates().recordPinFailure("A1", 3, lock, T0);
        i = store.inmates().recordPinFailure("A1", 3, lock, T0);
        assertTrue(i.pinLockedAt(T0.plusSeconds(60)));
        assertFalse(i.pinLockedAt(T0.plus(lock)));
        assertEquals(T0.plus(lock), i.pinLockedUntil());
        store.inmates().resetPinFailures("A1");
        i = store.inmates().get("A1").orElseThrow();
        assertNull(i.pinLockedUntil());
        assertEquals(0, i.pinFailures());
    }

    @Test
    void inmateUpdateAndStatus() {
        createFacility("f1");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        Inmate in = store.inmates().get("A1").orElseThrow();
        Inmate up = store.inmates().update(in.withStatus(Inmate.Status.RESTRICTED, T0).withLanguage("es"));
        assertEquals(Inmate.Status.RESTRICTED, up.status());
        assertEquals(T0, up.statusUntil());
        assertEquals(Inmate.Status.RESTRICTED, up.statusAt(T0.minusSeconds(1)));
        assertEquals(Inmate.Status.ACTIVE, up.statusAt(T0));
        assertEquals(in.pinHash(), up.pinHash());
        assertEquals(1, store.inmates().list("f1").size());
    }

    @Test
    void approvedAndPrivilegedNumbers() {
        createFacility("f1");
        createFacility("f2");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        store.inmates().addApproved(new ApprovedNumber("A1", "+15735550100", "Mom"));
        store.inmates().addApproved(new ApprovedNumber("A1", "+15735550100", "Mother")); // relabel, no dup
        assertTrue(store.inmates().isApproved("A1", "+15735550100"));
        assertFalse(store.inmates().isApproved("A1", "+15735550101"));
        assertEquals(List.of(new ApprovedNumber("A1", "+15735550100", "Mother")), store.inmates().approved("A1"));
        assertTrue(store.inmates().removeApproved("A1", "+15735550100"));
        assertFalse(store.inmates().isApproved("A1", "+15735550100"));

        PrivilegedNumber atty = store.numbers().addPrivileged(
                new PrivilegedNumber(0, "f1", "+15735550199", PrivilegedNumber.Kind.ATTORNEY, "PD"));
        store.numbers().addPrivileged(new PrivilegedNumber(0, null, "+18005550000", PrivilegedNumber.Kind.HOTLINE, "PREA"));
        assertNotEquals(0, atty.id());
        assertEquals(atty, store.numbers().findPrivileged("f1", "+15735550199").orElseThrow());
        assertTrue(store.numbers().findPrivileged("f2", "+15735550199").isEmpty());
        assertTrue(store.numbers().findPrivileged("f2", "+18005550000").isPresent()); // global
        assertEquals(2, store.numbers().privileged("f1").size());
        assertTrue(store.numbers().removePrivileged(atty.id()));
        assertTrue(store.numbers().findPrivileged("f1", "+15735550199").isEmpty());
    }

    // ------------------------------------------------------------------ blocks

    @Test
    void blocksMatchFacilityAndInmateScopeAndCanBeLifted() {
        createFacility("f1");
        createFacility("f2");
        Block keypad = store.blocks().add(Block.of("+15735550100", null, Block.Type.KEYPAD, null, "called-party", T0, null));
        store.blocks().add(Block.of("+15735550101", "f1", Block.Type.FACILITY, null, "staff1", T0, "victim"));
        store.blocks().add(Block.of("+15735550102", "f1", Block.Type.NO_CONTACT, "A1", "court", T0, "order 12"));

        assertEquals(1, store.blocks().findActive("f2", "X", "+15735550100").size()); // global
        assertEquals(1, store.blocks().findActive("f1", "A1", "+15735550101").size());
        assertTrue(store.blocks().findActive("f2", "A1", "+15735550101").isEmpty()); // other facility
        assertEquals(Block.Type.NO_CONTACT, store.blocks().findActive("f1", "A1", "+15735550102").get(0).type());
        assertTrue(store.blocks().findActive("f1", "A2", "+15735550102").isEmpty()); // other inmate
        assertThrows(IllegalArgumentException.class,
                () -> store.blocks().add(Block.of("+1573", "f1", Block.Type.FACILITY, null, "s", T0, " ")));

        Block lifted = store.blocks().lift(keypad.id(), "cs-agent", T0.plusSeconds(60)).orElseThrow();
        assertFalse(lifted.active());
        assertEquals("cs-agent", lifted.liftedBy());
        assertTrue(store.blocks().lift(keypad.id(), "cs-agent", T0).isEmpty()); // already lifted
        assertTrue(store.blocks().findActive("f2", "X", "+15735550100").isEmpty());
        assertEquals(1, store.blocks().list("+15735550100", null, null, false).size()); // history kept
        assertTrue(store.blocks().list("+15735550100", null, null, true).isEmpty());
    }

    // ------------------------------------------------------------------ call records

    CallRecord call(String id, String inmate, String btn, Instant start, long talkSeconds, CallOutcome outcome) {
        boolean connected = talkSeconds > 0;
        return CallRecord.builder(id).facility("f1").station("1001").inmateId(inmate).dialed(btn).btn(btn)
                .funding(Funding.PREPAID).startedAt(start)
                .answeredAt(connected ? start.plusSeconds(10) : null)
                .acceptedAt(connected ? start.plusSeconds(20) : null)
                .endedAt(start.plusSeconds(20 + talkSeconds)).outcome(outcome)
                .billedSeconds(((talkSeconds + 59) / 60) * 60).charge(new BigDecimal("0.12"))
                .inmateQuality(connected ? new LegQuality(3, 0.01, 4.5) : null).build();
    }

    @Test
    void callRecordsAreIdempotentAndSearchable() {
        createFacility("f1");
        CallRecord c1 = call("c1", "A1", "+15735550100", T0, 90, CallOutcome.COMPLETED);
        assertEquals(c1, store.calls().record(c1));
        CallRecord dup = call("c1", "A1", "+15735550100", T0, 300, CallOutcome.CUT_OFF);
        assertEquals(c1, store.calls().record(dup)); // first write wins
        assertEquals(c1, store.calls().get("c1").orElseThrow());
        store.calls().record(call("c2", "A1", "+15735550111", T0.plusSeconds(3600), 0, CallOutcome.REFUSED));
        store.calls().record(call("c3", "A2", "+15735550100", T0.plusSeconds(7200), 30, CallOutcome.COMPLETED));
        CallRecord atty = call("c4", "A1", "+15735550199", T0.plusSeconds(600), 600, CallOutcome.COMPLETED);
        store.calls().record(atty.toBuilder().funding(Funding.FREE).reason(null).billedSeconds(600)
                .charge(BigDecimal.ZERO).recording(null).privileged(true).inmateQuality(null).calledQuality(null)
                .threeWay(true).build());
        assertTrue(store.calls().get("c4").orElseThrow().privileged());
        assertTrue(store.calls().get("c4").orElseThrow().threeWay(), "the three-way mark is kept");
        assertFalse(store.calls().get("c1").orElseThrow().threeWay());

        assertEquals(List.of("c3", "c1"), ids(store.calls().search(CallQuery.all().withBtn("+15735550100"))));
        assertEquals(List.of("c2", "c4", "c1"), ids(store.calls().search(CallQuery.all().withInmate("A1"))));
        assertEquals(List.of("c4", "c1"), ids(store.calls().search(CallQuery.all().withInmate("A1")
                .withRange(null, T0.plusSeconds(3600)))));
        assertEquals(List.of("c2"), ids(store.calls().search(CallQuery.all().withOutcome(CallOutcome.REFUSED))));
        assertEquals(List.of("c2", "c4"), ids(store.calls().search(
                CallQuery.all().withRange(T0.plusSeconds(1), T0.plusSeconds(7200)))));
        assertEquals("refused", store.calls().get("c2").orElseThrow().outcome().wireName());
        assertNull(store.calls().get("c2").orElseThrow().inmateQuality());

        // Limits: only connected, non-privileged calls count; minutes are billed seconds rounded up.
        assertEquals(1, store.calls().countCalls("A1", T0, T0.plusSeconds(86_400)));
        assertEquals(1, store.calls().callsToday("A1", ZoneId.of("America/Chicago"), T0));
        assertEquals(120, store.calls().billedSeconds("A1", T0, T0.plusSeconds(86_400)));
        assertEquals(2, store.calls().minutesThisMonth("A1", ZoneId.of("America/Chicago"), T0));
        // The cool-down runs from the end of the last connected call, privileged or not.
        assertEquals(T0.plusSeconds(1220), store.calls().lastCallEnd("A1").orElseThrow());
        assertTrue(store.calls().lastCallEnd("nobody").isEmpty());
    }

    @Test
    void aRecordingIsAttachedOnlyToARecordWithout() {
        createFacility("f1");
        store.calls().record(call("c1", "A1", "+15735550100", T0, 90, CallOutcome.CUT_OFF));
        assertNull(store.calls().get("c1").orElseThrow().recording());
        assertTrue(store.calls().attachRecording("c1", "/rec/2026-03-10/c1.wav"));
        assertFalse(store.calls().attachRecording("c1", "/rec/other.wav"), "never replaced");
        assertFalse(store.calls().attachRecording("nope", "/rec/nope.wav"), "no such record");
        assertEquals("/rec/2026-03-10/c1.wav", store.calls().get("c1").orElseThrow().recording());
    }

    @Test
    void aStartedCallIsKeptUntilItsRecordIsWrittenInTheSameTransaction() {
        createFacility("f1");
        Instant t = T0.plusNanos(123_456_000); // the database keeps microseconds
        store.calls().started(StartedCall.of("c1", "f1", "1001", t));
        store.calls().started(StartedCall.of("c2", "f1", "1002", T0.plusSeconds(5)));
        assertThrows(ConflictException.class, () -> store.calls().started(StartedCall.of("c1", "f1", "1003", T0)),
                "one start per call");
        assertEquals(List.of(new StartedCall("c1", "f1", "1001", null, t),
                new StartedCall("c2", "f1", "1002", null, T0.plusSeconds(5))), store.calls().unfinished());

        // The PIN names the inmate; a call without a row (recorded already, or never started) is left alone.
        store.calls().identified("c1", "A1");
        store.calls().identified("nope", "A2");
        reopen(); // durable
        assertEquals(List.of(new StartedCall("c1", "f1", "1001", "A1", t),
                new StartedCall("c2", "f1", "1002", null, T0.plusSeconds(5))), store.calls().unfinished());

        // The record and the removal of the row are one transaction: rolled back together...
        CallRecord c1 = call("c1", "A1", "+15735550100", T0, 90, CallOutcome.COMPLETED);
        assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            store.calls().record(c1);
            throw new IllegalStateException("crash before the commit");
        }));
        assertTrue(store.calls().get("c1").isEmpty());
        assertEquals(List.of("c1", "c2"), store.calls().unfinished().stream().map(StartedCall::callId).toList());
        // ... and committed together.
        store.calls().record(c1);
        assertEquals(c1, store.calls().get("c1").orElseThrow());
        assertEquals(List.of("c2"), store.calls().unfinished().stream().map(StartedCall::callId).toList());
        store.calls().identified("c1", "A9"); // too late: nothing to name
        assertTrue(store.calls().unfinished().stream().noneMatch(s -> s.callId().equals("c1")));

        // A Call-ID seen again after its record: the row goes with the next write, the first record stays.
        store.calls().started(StartedCall.of("c1", "f1", "1001", T0.plusSeconds(60)));
        assertEquals(c1, store.calls().record(call("c1", "A1", "+15735550100", T0.plusSeconds(60), 5,
                CallOutcome.REFUSED)));
        assertEquals(List.of("c2"), store.calls().unfinished().stream().map(StartedCall::callId).toList());
    }

    static List<String> ids(List<CallRecord> rs) {
        return rs.stream().map(CallRecord::callId).toList();
    }

    // ------------------------------------------------------------------ incidents, audit, tokens

    @Test
    void incidentsAuditAndTokens() {
        Incident i = store.incidents().record(Incident.of("f1", "A1", "c1", Incident.Type.TOLL_FREE_ATTEMPT, T0,
                "{\"dialed\":\"+18005551212\"}"));
        store.incidents().record(Incident.of("f1", "A1", null, Incident.Type.PIN_LOCKOUT, T0.plusSeconds(5), null));
        store.incidents().record(Incident.of("f1", "A2", null, Incident.Type.PIN_LOCKOUT, T0.plusSeconds(6), null));
        assertNotEquals(0, i.id());
        assertEquals(2, store.incidents().list(null, "A1", null, null, null, 0).size());
        assertEquals(2, store.incidents().list("f1", null, Incident.Type.PIN_LOCKOUT, null, null, 0).size());
        assertEquals(i, store.incidents().list(null, null, Incident.Type.TOLL_FREE_ATTEMPT, null, null, 10).get(0));

        AuditEntry a1 = store.audit().append(AuditEntry.of(T0, "admin", "facility.create", "f1", "{\"x\":1}"));
        AuditEntry a2 = store.audit().append(AuditEntry.of(T0.plusSeconds(1), "cs", "block.lift", "7", null));
        assertEquals(List.of(a2, a1), store.audit().list(null, null, null, null, 0));
        assertEquals(List.of(a1), store.audit().list("admin", null, null, null, 0));

        ApiToken.Issued issued = store.tokens().issue("ops", ApiToken.Role.ADMIN);
        assertTrue(issued.secret().length() >= 40);
        assertNotEquals(issued.secret(), issued.token().tokenHash());
        ApiToken found = store.tokens().authenticate(issued.secret()).orElseThrow();
        assertEquals(issued.token().id(), found.id());
        assertEquals(issued.token().tokenHash(), found.tokenHash());
        assertNotNull(found.lastUsedAt(), "authenticating notes the use");
        assertTrue(store.tokens().authenticate(issued.secret() + "x").isEmpty());
        ApiToken imported = store.tokens().importToken("boot", ApiToken.Role.INVESTIGATOR, "0123456789abcdef-boot");
        assertEquals(ApiToken.Role.INVESTIGATOR, store.tokens().authenticate("0123456789abcdef-boot").orElseThrow().role());
        assertTrue(store.tokens().revoke(issued.token().id()));
        assertFalse(store.tokens().revoke(issued.token().id()));
        assertTrue(store.tokens().authenticate(issued.secret()).isEmpty());
        assertEquals(2, store.tokens().list().size());
        assertNotNull(store.tokens().list().get(0).revokedAt());
        assertEquals(imported.id(), store.tokens().list().get(1).id());
    }

    // ------------------------------------------------------------------ accounts, demo data

    @Test
    void depositsAccumulateInCents() {
        createFacility("f1");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        assertTrue(store.accounts().prepaid("+15735550100").isEmpty());
        store.accounts().depositPrepaid("+15735550100", new BigDecimal("10"));
        PrepaidAccount p = store.accounts().depositPrepaid("+15735550100", new BigDecimal("0.05"));
        assertEquals(new BigDecimal("10.05"), p.balance());
        assertEquals(new BigDecimal("0.00"), p.held());
        assertEquals(new BigDecimal("20.00"), store.accounts().depositDebit("A1", new BigDecimal("20.00")).balance());
        assertThrows(IllegalArgumentException.class, () -> store.accounts().depositPrepaid("+1", new BigDecimal("0.001")));
        assertThrows(IllegalArgumentException.class, () -> store.accounts().depositPrepaid("+1", new BigDecimal("-1")));
        // A debit account needs an existing inmate.
        assertThrows(NotFoundException.class, () -> store.accounts().depositDebit("nobody", BigDecimal.ONE));
    }

    @Test
    void inTransactionIsAllOrNothing() {
        createFacility("f1");
        RuntimeException boom = assertThrows(IllegalStateException.class, () -> store.inTransaction(() -> {
            store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
            store.accounts().depositDebit("A1", new BigDecimal("5.00"));
            store.audit().append(AuditEntry.of(T0, "admin", "inmate.create", "A1", null));
            throw new IllegalStateException("operator cancelled");
        }));
        assertEquals("operator cancelled", boom.getMessage());
        assertTrue(store.inmates().get("A1").isEmpty());
        assertTrue(store.accounts().debit("A1").isEmpty());
        assertTrue(store.audit().list(null, null, null, null, 0).isEmpty());

        Inmate created = store.inTransaction(() -> {
            Inmate i = store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
            store.accounts().depositDebit("A1", new BigDecimal("5.00"));
            store.audit().append(AuditEntry.of(T0, "admin", "inmate.create", "A1", null));
            return i;
        });
        assertEquals("A1", created.id());
        assertEquals(new BigDecimal("5.00"), store.accounts().debit("A1").orElseThrow().balance());
        assertEquals(1, store.audit().list(null, null, null, null, 0).size());
        // A failing statement rolls back the earlier steps too.
        assertThrows(ConflictException.class, () -> store.inTransaction(() -> {
            store.accounts().depositDebit("A1", new BigDecimal("1.00"));
            return store.inmates().create(Inmate.of("A1", "f1", "Dup", "en", null), "9999");
        }));
        assertEquals(new BigDecimal("5.00"), store.accounts().debit("A1").orElseThrow().balance());
    }

    @Test
    void parallelDepositsToANewAccountAllCount() throws Exception {
        int n = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<PrepaidAccount>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return store.accounts().depositPrepaid("+15735550142", new BigDecimal("1.00"));
                }));
            }
            go.countDown();
            for (var f : fs) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(new BigDecimal("10.00"), store.accounts().prepaid("+15735550142").orElseThrow().balance());
    }

    @Test
    void depositsAreRecordedNewestFirstWithTheirBalances() {
        createFacility("f1");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        Deposit first = store.accounts().deposit(AccountKind.DEBIT, "A1", new BigDecimal("10"), "token:3(carol-cs)",
                "receipt 8812");
        assertEquals(new BigDecimal("10.00"), first.amount());
        assertEquals(new BigDecimal("10.00"), first.balance());
        store.accounts().depositDebit("A1", new BigDecimal("0.05"));
        Deposit third = store.accounts().deposit(AccountKind.DEBIT, "A1", new BigDecimal("2.50"), "token:1(alice)", null);
        assertEquals(new BigDecimal("12.55"), third.balance());
        assertEquals(new BigDecimal("12.55"), store.accounts().debit("A1").orElseThrow().balance());
        // Another account's and the other kind's deposits are not mixed in.
        store.accounts().deposit(AccountKind.PREPAID, "A1", new BigDecimal("7.00"), "token:1(alice)", null);

        reopen();
        List<Deposit> all = store.accounts().deposits(AccountKind.DEBIT, "A1", null, 10);
        assertEquals(List.of(third.id(), all.get(1).id(), first.id()), all.stream().map(Deposit::id).toList());
        assertEquals(List.of(new BigDecimal("12.55"), new BigDecimal("10.05"), new BigDecimal("10.00")),
                all.stream().map(Deposit::balance).toList());
        assertEquals(List.of("token:1(alice)", "system", "token:3(carol-cs)"), all.stream().map(Deposit::by).toList());
        Deposit f = all.get(2);
        assertEquals(AccountKind.DEBIT, f.kind());
        assertEquals("A1", f.account());
        assertEquals("receipt 8812", f.reference());
        assertNull(all.get(0).reference());
        assertEquals(first.at(), f.at());

        // Paging: a cursor (the last id seen) and a limit.
        assertEquals(List.of(third.id()), store.accounts().deposits(AccountKind.DEBIT, "A1", null, 1).stream()
                .map(Deposit::id).toList());
        assertEquals(List.of(all.get(1).id(), first.id()),
                store.accounts().deposits(AccountKind.DEBIT, "A1", third.id(), 5).stream().map(Deposit::id).toList());
        assertTrue(store.accounts().deposits(AccountKind.DEBIT, "A1", first.id(), 5).isEmpty());
        assertEquals(1, store.accounts().deposits(AccountKind.PREPAID, "A1", null, 5).size());
        assertTrue(store.accounts().deposits(AccountKind.PREPAID, "+15735550100", null, 5).isEmpty());

        assertThrows(NotFoundException.class,
                () -> store.accounts().deposit(AccountKind.DEBIT, "nobody", BigDecimal.ONE, "admin", null));
        assertThrows(IllegalArgumentException.class,
                () -> store.accounts().deposit(AccountKind.DEBIT, "A1", new BigDecimal("0.001"), "admin", null));
        assertEquals(3, store.accounts().deposits(AccountKind.DEBIT, "A1", null, 10).size());
    }

    @Test
    void aRolledBackDepositLeavesNoRow() {
        createFacility("f1");
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
        store.accounts().deposit(AccountKind.DEBIT, "A1", new BigDecimal("5.00"), "admin", null);
        assertThrows(ConflictException.class, () -> store.inTransaction(() -> {
            store.accounts().deposit(AccountKind.DEBIT, "A1", new BigDecimal("1.00"), "admin", "doomed");
            return store.inmates().create(Inmate.of("A1", "f1", "Dup", "en", null), "9999");
        }));
        assertEquals(new BigDecimal("5.00"), store.accounts().debit("A1").orElseThrow().balance());
        List<Deposit> ds = store.accounts().deposits(AccountKind.DEBIT, "A1", null, 10);
        assertEquals(1, ds.size());
        assertEquals(new BigDecimal("5.00"), ds.get(0).balance());
    }

    @Test
    void parallelDepositsEachRecordADistinctRunningBalance() throws Exception {
        int n = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Deposit>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                BigDecimal amount = new BigDecimal(i + 1);
                fs.add(pool.submit(() -> {
                    go.await();
                    return store.accounts().deposit(AccountKind.PREPAID, "+15735550142", amount, "t", null);
                }));
            }
            go.countDown();
            for (var f : fs) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        BigDecimal finalBalance = store.accounts().prepaid("+15735550142").orElseThrow().balance();
        assertEquals(new BigDecimal("55.00"), finalBalance);
        List<Deposit> ds = store.accounts().deposits(AccountKind.PREPAID, "+15735550142", null, 100);
        assertEquals(n, ds.size());
        // Newest first, each balance is the next older one's plus this amount, ending at the final balance.
        assertEquals(finalBalance, ds.get(0).balance());
        for (int i = 0; i < n; i++) {
            BigDecimal older = i + 1 < n ? ds.get(i + 1).balance() : BigDecimal.ZERO.setScale(2);
            assertEquals(older.add(ds.get(i).amount()), ds.get(i).balance(), "deposit " + ds.get(i).id());
        }
    }

    @Test
    void demoDataLoadsOnceAndWorks() {
        assertTrue(DemoData.load(store));
        Facility scc = store.facilities().get("scc").orElseThrow();
        assertEquals("South Central Correctional Center", scc.name());
        assertTrue(scc.phoneHours().always());
        assertEquals(ZoneId.of("America/Chicago"), scc.timezone());
        assertEquals(11, store.facilities().stations("scc").size());
        assertEquals(Station.Kind.TABLET, store.facilities().station("2001").orElseThrow().kind());
        assertEquals("A1001", store.inmates().findByPin("scc", "1234").orElseThrow().id());
        assertEquals("es", store.inmates().findByPin("scc", "5678").orElseThrow().language());
        assertEquals(new BigDecimal("0.03"), store.accounts().prepaid("+15735550111").orElseThrow().balance());
        assertTrue(store.numbers().findPrivileged("scc", "+15735550199").isPresent());
        HousingUnit limited = store.facilities().unit(
                store.inmates().get("A1004").orElseThrow().housingUnitId()).orElseThrow();
        assertFalse(limited.effectiveHours(scc).contains(LocalTime.of(12, 0)));

        // Spend some money, restart: nothing is re-seeded or reset.
        store.accounts().depositPrepaid("+15735550100", new BigDecimal("1.00"));
        reopen();
        assertFalse(DemoData.load(store));
        assertEquals(new BigDecimal("26.00"), store.accounts().prepaid("+15735550100").orElseThrow().balance());
        assertEquals(5, store.inmates().list("scc").size());
        assertEquals(1, store.blocks().list("+15735550166", "scc", null, true).size());
        Optional<String> marker = store.meta(DemoData.MARKER);
        assertTrue(marker.isPresent());
    }
}
