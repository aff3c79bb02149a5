package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.KinlineSwitch;
import io.kinline.admin.ActiveCallView;
import io.kinline.config.KinlineConfig;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Facility;
import io.kinline.store.Incident;
import io.kinline.store.Inmate;
import io.kinline.store.Station;
import io.kinline.store.Store;
import io.kinline.tests.rtp.RtpPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One real Kinline node for a test class: the whole switch ({@link KinlineSwitch}) on free SIP and
 * admin ports, a temporary data directory with the demo data, and a trunk pointing at the test's
 * called-party peer. Plus the provisioning and polling the tests share: fresh inmates, stations and
 * prepaid numbers per test (so tests running side by side never share a balance), and waiting for
 * call records.
 */
final class E2eSwitch implements AutoCloseable {

    /** Generous bound on how long a call may take to be written after its SIP side ended. */
    static final Duration CDR_WAIT = Duration.ofSeconds(90);

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final KinlineSwitch node;
    private final Path dir;
    private final Path namePrompt;
    /** Call records as the B2BUA reports them when each call's script ends (the script's view). */
    private final Map<String, io.kinline.script.CallResult> ended = new ConcurrentHashMap<>();

    private E2eSwitch(KinlineSwitch node, Path dir) {
        this.node = node;
        this.dir = dir;
        this.namePrompt = dir.resolve("name-prompt.wav");
        node.b2bua().onCallEnded(r -> ended.put(r.callId(), r));
    }

    /**
     * Starts a node.
     *
     * @param trunk          where B-legs go (the called-party peer)
     * @param mediaTimeout   seconds without RTP that end a call
     * @param mediaPortBase  start of a 1000-port RTP range for this node
     */
    static E2eSwitch start(InetSocketAddress trunk, int mediaTimeout, int mediaPortBase,
            UnaryOperator<Facility.Builder> facility) {
        return start(trunk, mediaTimeout, mediaPortBase, facility, cfg -> { });
    }

    /** As above, with {@code tweak} applied to the configuration before the node starts. */
    static E2eSwitch start(InetSocketAddress trunk, int mediaTimeout, int mediaPortBase,
            UnaryOperator<Facility.Builder> facility, java.util.function.Consumer<KinlineConfig> tweak) {
        Path dir;
        try {
            dir = Files.createTempDirectory("kinline-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.sip.trunk.address = trunk.getHostString() + ":" + trunk.getPort();
        cfg.admin.port = 0;
        cfg.media.portMin = mediaPortBase;
        cfg.media.portMax = mediaPortBase + 999;
        cfg.media.mediaTimeoutSeconds = mediaTimeout;
        cfg.store.dataDir = dir.toString();
        tweak.accept(cfg);
        KinlineSwitch node = new KinlineSwitch(cfg).start();
        E2eSwitch sw = new E2eSwitch(node, dir);
        Store store = node.store();
        Facility scc = store.facilities().get(DemoData.FACILITY).orElseThrow();
        store.facilities().update(facility.apply(scc.toBuilder()).build());
        try {
            // A recorded name for the inmates created by the tests, so that only the test about
            // name recording spends the seconds of "say your name".
            Files.copy(Path.of("../config/prompts/en/an-inmate.wav"), sw.namePrompt);
        } catch (IOException e) {
            node.close();
            throw new UncheckedIOException(e);
        }
        return sw;
    }

    Store store() {
        return node.store();
    }

    KinlineSwitch node() {
        return node;
    }

    /** host:port of the switch's UDP SIP listener. */
    String sipTarget() {
        InetSocketAddress a = node.sipUdpAddress();
        return "127.0.0.1:" + a.getPort();
    }

    String sipUri(String user) {
        return "sip:" + user + "@" + sipTarget();
    }

    // ---- provisioning -------------------------------------------------------------------------

    /** A unique suffix for ids and numbers. */
    static int next() {
        return SEQ.incrementAndGet();
    }

    /** A new handset station of the demo facility. */
    String newStation() {
        String id = "39" + String.format("%03d", next());
        store().facilities().createStation(new Station(id, DemoData.FACILITY, Station.Kind.HANDSET, null));
        return id;
    }

    /**
     * A new inmate of the demo facility with a recorded name and {@code debit} on the debit account
     * (no account when zero).
     */
    String newInmate(String pin, String language, String unit, BigDecimal debit) {
        String id = "E" + String.format("%04d", next());
        store().inmates().create(Inmate.of(id, DemoData.FACILITY, "Test " + id, language, unit)
                .withNamePromptPath(namePrompt.toAbsolutePath().toString()), pin);
        if (debit.signum() > 0) {
            store().accounts().depositDebit(id, debit);
        }
        return id;
    }

    /** A fresh local number (573 area code, 555-0xxx) with {@code amount} prepaid on it (none if zero). */
    String newNumber(BigDecimal amount) {
        String number = String.format("+1573555%04d", 2000 + next());
        if (amount.signum() > 0) {
            store().accounts().depositPrepaid(number, amount);
        }
        return number;
    }

    BigDecimal debitBalance(String inmateId) {
        return store().accounts().debit(inmateId).map(a -> a.balance()).orElse(BigDecimal.ZERO);
    }

    BigDecimal prepaidBalance(String btn) {
        return store().accounts().prepaid(btn).map(a -> a.balance()).orElse(BigDecimal.ZERO);
    }

    BigDecimal prepaidHeld(String btn) {
        return store().accounts().prepaid(btn).map(a -> a.held()).orElse(BigDecimal.ZERO);
    }

    BigDecimal debitHeld(String inmateId) {
        return store().accounts().debit(inmateId).map(a -> a.held()).orElse(BigDecimal.ZERO);
    }

    /**
     * Changes facility rules of the demo facility through the admin API, as an operator would
     * ({@code PATCH /api/facilities/scc} with the admin token the switch wrote); returns the facility.
     */
    String patchDemoFacility(String json) {
        try {
            String token = Files.readString(node.adminTokenFile()).trim();
            InetSocketAddress admin = node.adminAddress();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + admin.getPort() + "/api/facilities/" + DemoData.FACILITY))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() == 200, "PATCH facility -> " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- results ------------------------------------------------------------------------------

    /**
     * Waits for the call record of {@code callId} in the store, and checks that the call's start row went
     * with it (they are written and removed in one transaction).
     */
    CallRecord awaitCdr(String callId) {
        return awaitCdr(callId, CDR_WAIT);
    }

    /**
     * The record of {@code id}: the switch's call id, or the SIP Call-ID of the inmate leg (the newest call that
     * used it; the switch keys calls by its own id).
     */
    Optional<CallRecord> record(String id) {
        return store().calls().get(id).or(() -> store().calls()
                .search(io.kinline.store.CallQuery.all().withSipCallId(id)).stream().findFirst());
    }

    CallRecord awaitCdr(String callId, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            Optional<CallRecord> r = record(callId);
            if (r.isPresent()) {
                String id = r.get().callId();
                assertTrue(store().calls().unfinished().stream().noneMatch(s -> s.callId().equals(id)),
                        "the start row of " + callId + " outlived its record");
                return r.get();
            }
            sleep(200);
        }
        fail("no call record for " + callId + " within " + wait + "; calls that ended: " + ended.keySet());
        return null;
    }

    /** The script's record of the call (language, three-way flag, talked), once it is written. */
    io.kinline.script.CallResult scriptRecord(String sipOrCallId) {
        String callId = awaitCdr(sipOrCallId).callId();
        // Reported just after the record is stored: allow the call's thread a moment.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ended.containsKey(callId) && System.nanoTime() < until) {
            sleep(50);
        }
        io.kinline.script.CallResult r = ended.get(callId);
        assertNotNull(r, "no script record for " + callId);
        return r;
    }

    /** Incidents of the demo facility recorded for {@code callId}. */
    List<Incident> incidents(String sipOrCallId) {
        String callId = record(sipOrCallId).map(CallRecord::callId).orElse(sipOrCallId);
        return store().incidents().list(DemoData.FACILITY, null, null, Instant.EPOCH, Instant.now().plusSeconds(60),
                1000).stream().filter(i -> callId.equals(i.callId())).toList();
    }

    /**
     * The called party presses 1 every three seconds until the switch bridges {@code callId} (the consent menu
     * takes keys only after its notice); fails after a minute.
     */
    void acceptUntilTalking(String callId, RtpPeer called) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long nextPress = 0;
        while (System.nanoTime() < until) {
            for (ActiveCallView v : node.b2bua().list()) {
                if (v.callId().equals(callId) && "talking".equals(v.state()) && v.acceptedAt() != null) {
                    return;
                }
            }
            if (System.nanoTime() > nextPress) {
                called.sendDigits("1").get(10, TimeUnit.SECONDS);
                nextPress = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            }
            sleep(100);
        }
        fail("call " + callId + " was never bridged; live calls: " + node.b2bua().list());
    }

    /** Waits until the switch has no call up (the last call's thread has finished). */
    void awaitIdle(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until && node.b2bua().activeCount() > 0) {
            sleep(100);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** GET on the admin API with the bootstrap admin token: status and body. */
    HttpResponse<byte[]> adminGet(String path, Map<String, String> headers) {
        try {
            String token = Files.readString(dir.resolve("admin-token")).trim();
            HttpRequest.Builder b = HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + path))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token);
            headers.forEach(b::header);
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public void close() {
        node.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no failure
        }
    }
}
