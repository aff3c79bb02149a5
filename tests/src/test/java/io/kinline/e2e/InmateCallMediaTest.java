package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.admin.ActiveCallView;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Facility;
import io.kinline.store.Funding;
import io.kinline.store.Incident;
import io.kinline.store.RecordingFidelity;
import io.kinline.store.Inmate;
import io.kinline.store.Station;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipEvent;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.Goertzel;
import io.kinline.tests.rtp.RtpPeer;
import io.kinline.tests.rtp.Sdp;
import io.kinline.tests.rtp.ToneCadence;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The inmate call flow through real SIP and RTP with the Java peers (JAIN-SIP handset and trunk,
 * {@link RtpPeer} audio on both legs), for what SIPp cannot express: audio both ways and in the
 * recording, announcements heard by both parties, hangups from either side, media timeouts, a
 * three-way attempt (and a mere key press) by the called party, re-INVITEs, unknown stations.
 *
 * <p>One switch for the class; every test uses its own inmate, station and called number (with its
 * own prepaid account), so all run side by side. The trunk peer hands each incoming B-leg to the
 * test that owns its number.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class InmateCallMediaTest {

    private static final BigDecimal RATE = new BigDecimal("0.06");
    private static final Duration SIP_WAIT = Duration.ofSeconds(20);
    /** Ends a call whose RTP stops; short so the media-timeout test is quick. */
    private static final int MEDIA_TIMEOUT_SECONDS = 4;
    /** A facility with a one-minute limit and the warning 45 s before it (15 s into the call). */
    private static final String SHORT = "e2e-short";
    /** A facility that cuts off strong three-way attempts. */
    private static final String CUT_THREE_WAY = "e2e-3w-cut";
    private static final int WARNING_SECONDS = 45;
    private static final double HEARD_DBOV = -45;

    private E2eSwitch sw;
    private SipPeer trunk;
    private SipPeer phone;
    private final Map<String, Called> calledByNumber = new ConcurrentHashMap<>();
    private volatile boolean dispatching = true;
    private Thread dispatcher;

    /** The called party of one test: its RTP peer and, once the B-leg arrives, its SIP side. */
    private static final class Called {
        final RtpPeer rtp;
        final UasBehaviour behaviour;
        final CompletableFuture<ServerCall> call = new CompletableFuture<>();

        Called(RtpPeer rtp, UasBehaviour behaviour) {
            this.rtp = rtp;
            this.behaviour = behaviour;
        }
    }

    @BeforeAll
    void start() throws Exception {
        trunk = SipPeer.builder().name("trunk").build();
        phone = SipPeer.builder().name("handset").build();
        trunk.behaviour(invite -> {
            Called c = calledByNumber.get(user(invite.requestUri()));
            if (c == null) {
                return UasBehaviour.reject(0, 404);
            }
            if (c.behaviour != null) {
                return c.behaviour;
            }
            return UasBehaviour.answer(300, offer -> {
                String answer = c.rtp.answer(offer);
                c.rtp.startSending(); // silence until the test plays something: keeps the media alive
                return answer;
            });
        });
        dispatcher = Thread.ofPlatform().daemon().name("trunk-dispatch").start(() -> {
            while (dispatching) {
                ServerCall sc = trunk.awaitIncomingCall(Duration.ofMillis(300));
                if (sc != null) {
                    Called c = calledByNumber.get(user(sc.requestUri()));
                    if (c != null) {
                        c.call.complete(sc);
                    }
                }
            }
        });
        // These tests are about what follows the answer; they accept as soon as the greeting is heard, so
        // the facility lets a key pressed during the notice count (the safe default, and both settings,
        // are InmateCallSippTest's subject and CalledPartyScriptTest's).
        sw = E2eSwitch.start(trunk.address(), MEDIA_TIMEOUT_SECONDS, 31000,
                f -> f.answerTimeoutSeconds(20).consentRepeats(1).consentDuringNotice(true));
        Facility scc = sw.store().facilities().get(DemoData.FACILITY).orElseThrow();
        sw.store().facilities().create(scc.toBuilder().id(SHORT).name("E2E short calls").maxCallMinutes(1)
                .warningSeconds(WARNING_SECONDS).reminderMinutes(0).build());
        sw.store().facilities().create(scc.toBuilder().id(CUT_THREE_WAY).name("E2E three-way cut-off")
                .threeWay(Facility.ThreeWay.DISCONNECT).build());
    }

    @AfterAll
    void stop() throws Exception {
        dispatching = false;
        if (dispatcher != null) {
            dispatcher.join(2000);
        }
        if (sw != null) {
            sw.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    /** The user part of a SIP URI ({@code sip:+1573...@host:port} → {@code +1573...}). */
    private static String user(String uri) {
        String s = uri.startsWith("sip:") ? uri.substring(4) : uri;
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }

    // ---- one call, step by step ---------------------------------------------------------------

    /** A call from the handset through PIN and consent to the connected state. */
    private final class Connected implements AutoCloseable {
        final String inmate;
        final String number;
        final RtpPeer handset;
        final Called called;
        final ClientCall call;
        ServerCall bLeg;
        /** Handset and called-party clocks at the moment the call was seen accepted. */
        long handsetAcceptedMs;
        long calledAcceptedMs;

        Connected(String facility, BigDecimal prepaid) throws Exception {
            this(facility, prepaid, null);
        }

        /** {@code handsetAudio}: what the handset sends from the start (null: silence). */
        Connected(String facility, BigDecimal prepaid, AudioSource handsetAudio) throws Exception {
            this(facility, prepaid, handsetAudio, Map.of());
        }

        /** {@code headers}: extra headers on the handset's INVITE. */
        Connected(String facility, BigDecimal prepaid, AudioSource handsetAudio, Map<String, String> headers)
                throws Exception {
            this(facility, prepaid, handsetAudio, headers, false, false, null, false);
        }

        Connected(String facility, BigDecimal prepaid, AudioSource handsetAudio, Map<String, String> headers,
                boolean tcp, boolean pinByInfo, UasBehaviour calledSide) throws Exception {
            this(facility, prepaid, handsetAudio, headers, tcp, pinByInfo, calledSide, false);
        }

        /**
         * @param tcp         the handset talks SIP over TCP
         * @param pinByInfo   the handset sends its PIN as SIP INFO (application/dtmf-relay)
         * @param calledSide  how the trunk treats this call's B-leg (null: answer after 300 ms)
         * @param keypad      the handset calls the access number and keys in "PIN#number#" at once
         */
        Connected(String facility, BigDecimal prepaid, AudioSource handsetAudio, Map<String, String> headers,
                boolean tcp, boolean pinByInfo, UasBehaviour calledSide, boolean keypad) throws Exception {
            String pin = Integer.toString(5000 + E2eSwitch.next());
            inmate = newInmate(facility, pin);
            if (handsetAudio != null) {
                // No recorded name yet: the switch asks for it after the PIN.
                sw.store().inmates().update(sw.store().inmates().get(inmate).orElseThrow().withNamePromptPath(null));
            }
            String station = newStation(facility);
            number = sw.newNumber(prepaid);
            handset = RtpPeer.open();
            called = new Called(RtpPeer.open(), calledSide);
            calledByNumber.put(number, called);
            String user = keypad ? "100" : number;
            String uri = tcp ? "sip:" + user + "@127.0.0.1:" + sw.node().sipTcpAddress().getPort() + ";transport=tcp"
                    : sw.sipUri(user);
            call = phone.call(uri, station, handset.offer(), headers);
            assertEquals(200, call.awaitFinalStatus(SIP_WAIT), "the switch answers the handset");
            handset.acceptAnswer(call.remoteSdp());
            if (handsetAudio != null) {
                handset.play(handsetAudio);
            }
            handset.startSending();
            // "Please enter your PIN": barge in as soon as it is heard.
            assertTrue(handset.awaitAudio(HEARD_DBOV, SIP_WAIT), "the handset hears the PIN prompt");
            if (pinByInfo) {
                for (char d : (pin + "#").toCharArray()) {
                    call.sendInfoDtmf(d, 120);
                    E2eSwitch.sleep(150);
                }
            } else if (keypad) {
                // Typed ahead in one go, as callers do: type-ahead carries the number past the PIN.
                handset.sendDigits(pin + "#" + number.substring(2) + "#").get(20, TimeUnit.SECONDS);
            } else {
                handset.sendDigits(pin + "#").get(10, TimeUnit.SECONDS);
            }
        }

        String callId() {
            return call.callId();
        }

        /** Waits for the B-leg and the greeting, accepts with 1, waits until the switch bridges. */
        Connected accept() throws Exception {
            return accept(0);
        }

        /** As {@link #accept()}, listening to {@code listenMs} of the greeting before pressing 1. */
        Connected accept(long listenMs) throws Exception {
            bLeg = called.call.get(60, TimeUnit.SECONDS);
            assertTrue(called.rtp.awaitAudio(HEARD_DBOV, SIP_WAIT), "the called party hears the greeting");
            E2eSwitch.sleep(listenMs);
            called.rtp.sendDigits("1").get(10, TimeUnit.SECONDS);
            awaitState("talking");
            handsetAcceptedMs = handset.elapsedMs();
            calledAcceptedMs = called.rtp.elapsedMs();
            return this;
        }

        void awaitState(String state) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                for (ActiveCallView v : sw.node().b2bua().list()) {
                    // callId() is the handset's SIP Call-ID; the switch keys the call by its own id.
                    if (callId().equals(v.sipCallId()) && state.equals(v.state()) && v.acceptedAt() != null) {
                        return;
                    }
                }
                E2eSwitch.sleep(100);
            }
            fail("call " + callId() + " never reached " + state + "; live calls: " + sw.node().b2bua().list());
        }

        @Override
        public void close() {
            calledByNumber.remove(number);
            handset.close();
            called.rtp.close();
        }
    }

    private String newInmate(String facility, String pin) {
        if (DemoData.FACILITY.equals(facility)) {
            return sw.newInmate(pin, "en", "gen", new BigDecimal("10.00"));
        }
        String id = "S" + E2eSwitch.next();
        sw.store().inmates().create(Inmate.of(id, facility, "Short " + id, "en", null)
                .withNamePromptPath(sw.dir().resolve("name-prompt.wav").toAbsolutePath().toString()), pin);
        sw.store().accounts().depositDebit(id, new BigDecimal("10.00"));
        return id;
    }

    private String newStation(String facility) {
        if (DemoData.FACILITY.equals(facility)) {
            return sw.newStation();
        }
        String id = "38" + E2eSwitch.next();
        sw.store().facilities().createStation(new Station(id, facility, Station.Kind.HANDSET, null));
        return id;
    }

    private static void assertCharged(CallRecord r, E2eSwitch sw, String number, BigDecimal prepaid) {
        assertEquals(Funding.PREPAID, r.funding(), r.toString());
        assertEquals(60, r.billedSeconds(), "under a minute is billed as one: " + r);
        assertEquals(0, RATE.compareTo(r.charge()), r.toString());
        assertEquals(0, prepaid.subtract(RATE).compareTo(sw.prepaidBalance(number)), "prepaid balance");
        assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(number)), "nothing left on hold");
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void audioFlowsBothWaysAndIsRecordedInStereo() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            c.handset.play(AudioSource.tone(1000, 8000));
            c.called.rtp.play(AudioSource.tone(1800, 8000));
            E2eSwitch.sleep(6000);
            long hNow = c.handset.elapsedMs();
            long cNow = c.called.rtp.elapsedMs();
            // What each side heard in the middle of those 6 s is the other's tone.
            assertEquals(1800.0, c.handset.dominantFrequency(hNow - 4000, hNow - 1000, 1000, 1800, 440),
                    "the inmate hears the called party");
            assertEquals(1000.0, c.called.rtp.dominantFrequency(cNow - 4000, cNow - 1000, 1000, 1800, 440),
                    "the called party hears the inmate");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the called party gets BYE");

            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertEquals(c.inmate, r.inmateId());
            assertCharged(r, sw, c.number, prepaid);
            assertNotNull(r.recording());

            Wav wav = Wav.awaitComplete(Path.of(r.recording()), Duration.ofSeconds(20));
            assertEquals(2, wav.channels());
            assertEquals(8000, wav.rate());
            double talked = Duration.between(r.acceptedAt(), r.endedAt()).toMillis() / 1000.0;
            double seconds = wav.frames() / 8000.0;
            assertTrue(seconds > talked * 0.6 && seconds < talked + 3,
                    "recording of " + seconds + " s for " + talked + " s talked");
            // Left = inmate (1000 Hz), right = called party (1800 Hz), each well above silence.
            short[] left = wav.channel(0);
            short[] right = wav.channel(1);
            assertEquals(1000.0, Goertzel.strongest(left, 0, left.length, 8000, 1000, 1800));
            assertEquals(1800.0, Goertzel.strongest(right, 0, right.length, 8000, 1000, 1800));
            assertTrue(Goertzel.levelDbov(left, 0, left.length) > -30, "inmate channel has audio");
            assertTrue(Goertzel.levelDbov(right, 0, right.length) > -30, "called channel has audio");

            // The same call through the admin API: its record, and its recording byte for byte.
            String token = java.nio.file.Files.readString(sw.node().adminTokenFile()).strip();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + sw.node().adminAddress().getPort();
            HttpResponse<String> cdr = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cdrs/" + r.callId()))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, cdr.statusCode(), cdr.body());
            assertTrue(cdr.body().contains("\"outcome\":\"completed\""), cdr.body());
            assertTrue(cdr.body().contains("\"charge\":\"0.06\""), cdr.body());
            assertTrue(cdr.body().contains("\"recorded\":true"), cdr.body());
            // Both parties sent every packet: the record says the recording has no gap and nothing came late.
            assertEquals(new RecordingFidelity(0, 0, 0), r.recordingFidelity(), r.toString());
            assertTrue(cdr.body().contains("\"recordingGapFramesInmate\":0,\"recordingGapFramesCalled\":0,"
                    + "\"recordingLateFrames\":0"), cdr.body());
            HttpResponse<byte[]> rec = http.send(HttpRequest.newBuilder(URI.create(base + "/api/recordings/"
                    + r.callId())).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, rec.statusCode());
            assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(Path.of(r.recording())), rec.body()),
                    "the API serves the recording file");
        }
    }

    @Test
    void aHoleInTheHandsetsAudioIsCountedOnTheCallRecord() throws Exception {
        try (Connected c = new Connected(DemoData.FACILITY, new BigDecimal("5.00")).accept()) {
            c.handset.play(AudioSource.tone(1000, 8000));
            E2eSwitch.sleep(1500);
            c.handset.lose(50); // one second of the inmate's audio never arrives
            E2eSwitch.sleep(2500);
            c.call.bye();
            CallRecord r = sw.awaitCdr(c.callId());
            assertNotNull(r.recording());
            RecordingFidelity f = r.recordingFidelity();
            assertNotNull(f, r.toString());
            assertTrue(Math.abs(f.gapFramesInmate() - 50) <= 2, "inmate gap frames: " + f);
            assertEquals(0, f.gapFramesCalled(), f.toString());
        }
    }

    @Test
    void warningIsHeardByBothPartiesAndTheCallIsCutOffAtTheLimit() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(SHORT, prepaid).accept()) {
            // Both parties stay silent: whatever they hear from now on is the switch's announcements.
            assertNotNull(c.call.awaitRequest("BYE", Duration.ofSeconds(120)), "the inmate gets BYE at the limit");
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the called party gets BYE at the limit");

            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.CUT_OFF, r.outcome(), r.toString());
            assertEquals("time_limit", r.reason());
            assertCharged(r, sw, c.number, prepaid);
            long talked = Duration.between(r.acceptedAt(), r.endedAt()).toSeconds();
            assertTrue(talked >= 60, "cut off at the one-minute limit, not before: " + talked + " s");

            // The warning comes 15 s after acceptance: both hear it, and nothing before it.
            long warnAt = (60 - WARNING_SECONDS) * 1000L;
            for (RtpPeer p : List.of(c.handset, c.called.rtp)) {
                long t0 = p == c.handset ? c.handsetAcceptedMs : c.calledAcceptedMs;
                String who = p == c.handset ? "inmate" : "called party";
                assertFalse(p.heardAudioBetween(t0 + 3000, t0 + warnAt - 3000, HEARD_DBOV),
                        who + " hears silence before the warning");
                assertTrue(p.heardAudioBetween(t0 + warnAt - 2000, t0 + warnAt + 15000, HEARD_DBOV),
                        who + " hears the one-minute warning");
                assertFalse(p.heardAudioBetween(t0 + warnAt + 8000, t0 + 55_000, HEARD_DBOV),
                        who + " hears silence after the warning");
                assertTrue(p.heardAudioBetween(t0 + 58_000, t0 + 90_000, HEARD_DBOV),
                        who + " hears the time-limit announcement");
            }
        }
    }

    @Test
    void calledPartyHangupEndsBothLegs() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            E2eSwitch.sleep(1000);
            c.bLeg.bye();
            assertNotNull(c.call.awaitRequest("BYE", SIP_WAIT), "the inmate gets BYE");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals("called_hangup", r.reason());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void inmateHangupEndsBothLegs() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            E2eSwitch.sleep(1000);
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the called party gets BYE");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    /**
     * Issue 11: after a recorded call, everything the switch keeps (database, recordings, recorded names,
     * secrets, admin token) is its user's only, although this JVM runs with the usual umask 022:
     * directories 0700, files 0600 (0400 once a recording is closed and sealed).
     */
    @Test
    void aRecordedCallLeavesOnlyFilesTheSwitchUserCanRead() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        Path recording;
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            E2eSwitch.sleep(1500);
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the called party gets BYE");
            CallRecord r = sw.awaitCdr(c.callId());
            assertNotNull(r.recording());
            recording = Path.of(r.recording());
            Wav.awaitComplete(recording, Duration.ofSeconds(20));
        }
        Path data = sw.node().dataDir();
        assertTrue(recording.startsWith(data.resolve("recordings")), recording.toString());
        List<String> exposed = new java.util.ArrayList<>();
        List<Path> roots = new java.util.ArrayList<>(List.of(data.resolve("db"), data.resolve("recordings"),
                data.resolve("secrets")));
        if (java.nio.file.Files.isDirectory(data.resolve("names"))) {
            roots.add(data.resolve("names"));
        }
        for (Path root : roots) {
            try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(root)) {
                for (Path p : all.toList()) {
                    String mode;
                    try {
                        mode = java.nio.file.attribute.PosixFilePermissions.toString(
                                java.nio.file.Files.getPosixFilePermissions(p));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue; // a file of another test's call, replaced while we looked
                    }
                    boolean dir = java.nio.file.Files.isDirectory(p);
                    if (dir ? !mode.equals("rwx------") : !mode.endsWith("------")) {
                        exposed.add(mode + " " + data.relativize(p));
                    }
                }
            }
        }
        for (Path p : List.of(data, data.resolve("admin-token"))) {
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(p));
            if (!mode.endsWith("------")) {
                exposed.add(mode + " " + p);
            }
        }
        assertEquals(List.of(), exposed, "readable by others after a call");
        String recMode = java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(recording));
        assertTrue(recMode.equals("rw-------") || recMode.equals("r--------"), "the recording is " + recMode);
    }

    @Test
    void mediaTimeoutEndsTheCall() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            c.called.rtp.stopSending(); // the called party's RTP stops; its SIP dialog stays up
            assertNotNull(c.call.awaitRequest("BYE", Duration.ofSeconds(MEDIA_TIMEOUT_SECONDS + 30)),
                    "the inmate gets BYE");
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the silent called party gets BYE too");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.CUT_OFF, r.outcome(), r.toString());
            assertEquals("media_timeout", r.reason());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    /** The called party's room as the switch hears it between words: white noise at about -55 dBm0. */
    private static AudioSource room(long seed) {
        java.util.Random r = new java.util.Random(seed);
        return frame -> {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (r.nextGaussian() * 28);
            }
        };
    }

    /**
     * A three-way attempt on an analog line: the hook opens (a click), 600 ms of a dead line, the hook
     * closes (a click), 2 s of dial tone (350 + 440 Hz, -13 dBm0 each), seven in-band digits, then the
     * room again.
     */
    private static short[] flashAndDial(long seed) {
        java.util.Random r = new java.util.Random(seed);
        short[] gap = new short[600 * 8];
        for (int i = 0; i < gap.length; i++) {
            gap[i] = (short) (r.nextGaussian() * 6);
        }
        gap[0] = 9000;
        gap[gap.length - 1] = -9000;
        short[] dialTone = new short[2000 * 8];
        for (int i = 0; i < dialTone.length; i++) {
            dialTone[i] = (short) (5000 * (Math.sin(2 * Math.PI * 350 * i / 8000) + Math.sin(2 * Math.PI * 440 * i / 8000)));
        }
        short[] digits = AudioSource.dtmfTones("5550147", 100, 120, 7000);
        short[] out = new short[gap.length + 800 + dialTone.length + digits.length + 4000];
        System.arraycopy(gap, 0, out, 0, gap.length);
        System.arraycopy(dialTone, 0, out, gap.length + 800, dialTone.length);
        System.arraycopy(digits, 0, out, gap.length + 800 + dialTone.length, digits.length);
        for (int i = gap.length; i < gap.length + 800; i++) {
            out[i] = (short) (r.nextGaussian() * 28);
        }
        return out;
    }

    /** {@code sipOrCallId}: the handset's SIP Call-ID (resolved to the switch's call id) or the call id. */
    private List<Incident> threeWayIncidents(String facility, String sipOrCallId) {
        String callId = sw.record(sipOrCallId).map(CallRecord::callId).orElse(sipOrCallId);
        return sw.store().incidents().list(facility, null, Incident.Type.THREE_WAY_SUSPECTED, java.time.Instant.EPOCH,
                java.time.Instant.now().plusSeconds(60), 100).stream().filter(i -> callId.equals(i.callId())).toList();
    }

    @Test
    void aCalledPartyWhoFlashesAndDialsIsFlaggedAndTheCallGoesOn() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid)) {
            c.called.rtp.play(room(1));
            c.accept();
            E2eSwitch.sleep(3000);
            c.called.rtp.sendPcm(flashAndDial(2)).get(20, TimeUnit.SECONDS);
            E2eSwitch.sleep(2000);
            c.awaitState("talking");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), "the demo facility flags, it does not cut off: " + r);
            assertTrue(r.threeWay(), "the call record is marked: " + r);
            List<Incident> incidents = threeWayIncidents(DemoData.FACILITY, c.callId());
            assertEquals(1, incidents.size(), incidents.toString());
            String d = incidents.getFirst().details();
            assertTrue(d.contains("strong") && d.contains("flash at") && d.contains("dial-tone at")
                    && d.contains("7 digits 5550147") && d.contains("in the recording"), d);
            assertEquals(c.inmate, incidents.getFirst().inmateId());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void disconnectModeSaysWhyAndCutsOffAStrongAttempt() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(CUT_THREE_WAY, prepaid)) {
            c.called.rtp.play(room(3));
            c.accept();
            E2eSwitch.sleep(3000);
            long before = c.called.rtp.elapsedMs();
            c.called.rtp.sendPcm(flashAndDial(4));
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT), "the switch hangs up on the called party");
            assertTrue(c.called.rtp.heardAudioBetween(before + 2000, c.called.rtp.elapsedMs(), HEARD_DBOV),
                    "the called party is told why before the hang-up");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.CUT_OFF, r.outcome(), r.toString());
            assertEquals("three_way", r.reason());
            assertTrue(r.threeWay());
            List<Incident> incidents = threeWayIncidents(CUT_THREE_WAY, c.callId());
            assertEquals(1, incidents.size(), incidents.toString());
            assertTrue(incidents.getFirst().details().contains("call cut off"), incidents.getFirst().details());
        }
    }

    @Test
    void aKeyPressOrAPauseIsNotAThreeWayCall() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(CUT_THREE_WAY, prepaid)) {
            c.called.rtp.play(room(5));
            c.accept();
            E2eSwitch.sleep(1500);
            c.called.rtp.sendDigits("3").get(10, TimeUnit.SECONDS);       // a key, as RFC 4733
            c.called.rtp.sendInbandDigits("7", 120, 200).get(10, TimeUnit.SECONDS); // and one in band
            c.called.rtp.sendPcm(new short[3000 * 8]).get(10, TimeUnit.SECONDS);   // three seconds of nothing
            E2eSwitch.sleep(2000);
            c.awaitState("talking");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertFalse(r.threeWay(), r.toString());
            assertTrue(threeWayIncidents(CUT_THREE_WAY, c.callId()).isEmpty());
        }
    }

    @Test
    void holdAndUnholdKeepTheCall() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid).accept()) {
            c.called.rtp.play(AudioSource.tone(1800, 8000));
            InetSocketAddress local = c.handset.localAddress();
            c.call.reinvite(Sdp.build(local.getHostString(), local.getPort(), List.of(0), 101, "sendonly", 10));
            SipEvent held = c.call.awaitResponse("INVITE", 200, SIP_WAIT);
            assertNotNull(held, "hold re-INVITE answered");
            assertTrue(Sdp.parse(held.body()).direction().equals("recvonly"), held.body());
            // Held for longer than the media timeout: a held leg must not time out.
            c.handset.stopSending();
            E2eSwitch.sleep((MEDIA_TIMEOUT_SECONDS + 2) * 1000L);
            c.handset.startSending();
            c.call.reinvite(Sdp.build(local.getHostString(), local.getPort(), List.of(0), 101, "sendrecv", 11));
            SipEvent resumed = c.call.awaitResponse("INVITE", 200, SIP_WAIT);
            assertNotNull(resumed, "unhold re-INVITE answered");
            c.awaitState("talking");
            c.handset.play(AudioSource.tone(1000, 8000));
            E2eSwitch.sleep(3000);
            long now = c.called.rtp.elapsedMs();
            assertEquals(1000.0, c.called.rtp.dominantFrequency(now - 2000, now, 1000, 1800),
                    "after unhold the called party hears the inmate again");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void firstCallRecordsTheInmatesNameAndTheCalledPartyHearsIt() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        // The "name" is a 600 Hz tone the handset sends all along (not DTMF: one frequency).
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, AudioSource.tone(600, 8000))) {
            // "This is a prepaid call from" (1.6 s), the name (3 s), ...: listen to both before accepting.
            c.accept(6000);
            String saved = sw.store().inmates().get(c.inmate).orElseThrow().namePromptPath();
            assertNotNull(saved, "the name was kept");
            Wav name = Wav.read(Path.of(saved));
            assertTrue(name.frames() >= 4000, "at least half a second of name: " + name.frames() + " samples");
            // The greeting to the called party carried the name: somewhere in it, 600 Hz dominates.
            short[] heard = c.called.rtp.pcmBetween(0, c.calledAcceptedMs);
            boolean nameHeard = false;
            for (int off = 0; off + 4000 <= heard.length && !nameHeard; off += 800) {
                nameHeard = Goertzel.levelDbov(heard, off, 4000) > -35
                        && Goertzel.strongest(heard, off, 4000, 8000, 600, 350, 850, 1300) == 600;
            }
            assertTrue(nameHeard, "the called party hears the recorded name in the greeting");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void sessionTimerRefreshedByTheSwitchKeepsTheCall() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        // The handset asks the switch to refresh the session every 90 s (it must do so by 45 s).
        Map<String, String> timer = Map.of("Session-Expires", "90;refresher=uas", "Supported", "timer");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, timer).accept()) {
            SipEvent refresh = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(80);
            while (refresh == null && System.nanoTime() < until) {
                refresh = c.call.awaitRequest("UPDATE", Duration.ofMillis(500));
                if (refresh == null) {
                    refresh = c.call.awaitRequest("INVITE", Duration.ofMillis(500));
                }
            }
            assertNotNull(refresh, "the switch refreshes the session before it expires");
            assertTrue(c.call.awaitRequest("BYE", Duration.ofSeconds(3)) == null, "and does not hang up");
            c.awaitState("talking");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void pinBySipInfoOverTcp() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, Map.of(), true, true, null).accept()) {
            c.handset.play(AudioSource.tone(1000, 8000));
            E2eSwitch.sleep(3000);
            long now = c.called.rtp.elapsedMs();
            assertEquals(1000.0, c.called.rtp.dominantFrequency(now - 2000, now, 1000, 1800, 440));
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals(c.inmate, r.inmateId());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void inmateHangupWhileRingingCancelsTheCalledParty() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, Map.of(), false, false,
                UasBehaviour.ringForever())) {
            c.bLeg = c.called.call.get(60, TimeUnit.SECONDS);
            assertTrue(c.bLeg.awaitState(ServerCall.State.RINGING, SIP_WAIT));
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("CANCEL", SIP_WAIT), "the switch CANCELs the ringing B-leg");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.FAILED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertNull(r.answeredAt());
            assertEquals(Funding.FREE, r.funding());
            assertEquals(0, BigDecimal.ZERO.compareTo(r.charge()));
            assertEquals(0, prepaid.compareTo(sw.prepaidBalance(c.number)));
            assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(c.number)), "the hold is released");
        }
    }

    @Test
    void inmateHearsNorthAmericanRingbackWhileTheCalledPartyRings() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, Map.of(), false, false,
                UasBehaviour.ringForever())) {
            c.bLeg = c.called.call.get(60, TimeUnit.SECONDS);
            assertTrue(c.bLeg.awaitState(ServerCall.State.RINGING, SIP_WAIT));
            // Listen until the third burst of ringback is under way: on, off, on, off, on (about 12 s).
            short[] heard = new short[0];
            List<ToneCadence.Burst> bursts = List.of();
            List<ToneCadence.Burst> ringback = List.of();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(18);
            while (ringback.size() < 3 && System.nanoTime() < until) {
                E2eSwitch.sleep(500);
                heard = c.handset.receivedPcm();
                bursts = ToneCadence.bursts(heard, 64, 10);
                short[] pcm = heard;
                ringback = bursts.stream().filter(b -> ToneCadence.isDualTone(pcm, b, 440, 480)).toList();
            }
            assertTrue(ringback.size() >= 3, "three bursts of 440+480 Hz within 18 s of ringing; heard " + bursts);
            assertTrue(c.bLeg.awaitState(ServerCall.State.RINGING, Duration.ZERO), "still ringing");

            // Right after "please hold" comes the on part: a 4 s off part first would show as a long quiet.
            int first = bursts.indexOf(ringback.get(0));
            assertTrue(first > 0, "the PIN prompt and please-hold come before ringback: " + bursts);
            double lead = ringback.get(0).startMs() - bursts.get(first - 1).endMs();
            assertTrue(lead < 1000, "ringback starts with its on part, " + lead + " ms after please-hold");
            // Nothing but ringback from then on (the last burst may still be cut short by the poll).
            assertEquals(bursts.subList(first, first + ringback.size()), ringback, "only ringback while ringing");

            for (int i = 0; i < 2; i++) {
                ToneCadence.Burst on = ringback.get(i);
                assertEquals(2000, on.lengthMs(), 25, "on part " + i);
                // The off part arrived as 4 s of silent packets (the bursts are split by real quiet).
                assertEquals(4000, ringback.get(i + 1).startMs() - on.endMs(), 25, "off part " + i);
                assertEquals(-19, ToneCadence.levelDbm0(heard, on, 440), 1, "440 Hz level, burst " + i);
                assertEquals(-19, ToneCadence.levelDbm0(heard, on, 480), 1, "480 Hz level, burst " + i);
                assertFalse(ToneCadence.isDualTone(heard, on, 480, 620), "not busy/reorder");
            }

            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("CANCEL", SIP_WAIT), "the switch CANCELs the ringing B-leg");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.FAILED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
        }
    }

    @Test
    void ringbackStopsWhenTheCalledPartyAnswers() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, Map.of(), false, false,
                UasBehaviour.manual())) {
            c.bLeg = c.called.call.get(60, TimeUnit.SECONDS);
            c.bLeg.ring();
            // Answer half-way through the first on part of ringback, as soon as it is heard.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ringbackBursts(c.handset.receivedPcm()).isEmpty() && System.nanoTime() < until) {
                E2eSwitch.sleep(200);
            }
            assertFalse(ringbackBursts(c.handset.receivedPcm()).isEmpty(), "the handset hears ringback first");
            E2eSwitch.sleep(800);
            long answeredMs = c.handset.elapsedMs();
            c.bLeg.answer(c.called.rtp.answer(c.bLeg.remoteSdp()));
            c.called.rtp.startSending();
            assertTrue(c.called.rtp.awaitAudio(HEARD_DBOV, SIP_WAIT), "the called party hears the greeting");
            // Ringback unanswered would go on: the rest of this on part, then the next one 6 s after its start.
            E2eSwitch.sleep(8000);
            // Until acceptance the switch plays nothing to the inmate (it sends RTP only while it plays).
            short[] after = c.handset.pcmBetween(answeredMs + 300, Long.MAX_VALUE);
            assertEquals(List.of(), ringbackBursts(after), "no 440+480 Hz once the called party answered");
            c.call.bye();
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.FAILED, r.outcome(), r.toString());
            assertEquals("inmate_hangup", r.reason());
            assertNotNull(r.answeredAt());
        }
    }

    private static List<ToneCadence.Burst> ringbackBursts(short[] pcm) {
        return ToneCadence.bursts(pcm, 64, 10).stream().filter(b -> ToneCadence.isDualTone(pcm, b, 440, 480)).toList();
    }

    @Test
    void calledPartyHangupDuringTheGreetingIsARefusal() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid)) {
            c.bLeg = c.called.call.get(60, TimeUnit.SECONDS);
            assertTrue(c.called.rtp.awaitAudio(HEARD_DBOV, SIP_WAIT), "the called party hears the greeting");
            c.bLeg.bye();
            assertNotNull(c.call.awaitRequest("BYE", SIP_WAIT), "the inmate hears not-accepted, then BYE");
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.REFUSED, r.outcome(), r.toString());
            assertEquals("called_hangup", r.reason());
            assertNotNull(r.answeredAt());
            assertNull(r.acceptedAt());
            assertNull(r.recording());
            assertEquals(Funding.FREE, r.funding());
            assertEquals(0, prepaid.compareTo(sw.prepaidBalance(c.number)));
            assertEquals(0, BigDecimal.ZERO.compareTo(sw.prepaidHeld(c.number)));
        }
    }

    @Test
    void pinAndNumberKeyedAheadAtTheAccessNumber() throws Exception {
        BigDecimal prepaid = new BigDecimal("5.00");
        try (Connected c = new Connected(DemoData.FACILITY, prepaid, null, Map.of(), false, false, null, true)
                .accept()) {
            assertEquals(c.number, user(c.bLeg.requestUri()), "the keyed number is called");
            c.call.bye();
            assertNotNull(c.bLeg.awaitRequest("BYE", SIP_WAIT));
            CallRecord r = sw.awaitCdr(c.callId());
            assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
            assertEquals(c.number, r.dialed());
            assertCharged(r, sw, c.number, prepaid);
        }
    }

    @Test
    void unknownStationIsRejected() throws Exception {
        try (RtpPeer handset = RtpPeer.open()) {
            ClientCall call = phone.call(sw.sipUri("15735550100"), "7777", handset.offer());
            assertEquals(403, call.awaitFinalStatus(SIP_WAIT));
            E2eSwitch.sleep(500);
            assertTrue(sw.record(call.callId()).isEmpty(), "no call record for a rejected INVITE");
        }
    }
}
