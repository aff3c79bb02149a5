package io.kinline.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.KinlineSwitch;
import io.kinline.admin.ActiveCallView;
import io.kinline.config.KinlineConfig;
import io.kinline.store.ApiToken;
import io.kinline.store.AuditEntry;
import io.kinline.store.DemoData;
import io.kinline.store.Inmate;
import io.kinline.store.Station;
import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.Goertzel;
import io.kinline.tests.rtp.RtpPeer;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Live listening end to end: a real inmate call through {@link KinlineSwitch} (JAIN-SIP handset and
 * trunk peers, RTP peers on both legs, PIN and consent by DTMF), an investigator's WebSocket on the
 * admin API hearing both parties, and a privileged call refused with 403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenE2eTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double HEARD_DBOV = -45;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Path dir;
    private KinlineSwitch node;
    private SipPeer trunk;
    private SipPeer phone;
    private volatile RtpPeer calledRtp;
    private String investigatorToken;
    private long investigatorId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kinline-monitor-e2e-");
        trunk = SipPeer.builder().name("trunk").build();
        phone = SipPeer.builder().name("handset").build();
        trunk.behaviour(UasBehaviour.answer(300, offer -> {
            String answer = calledRtp.answer(offer);
            calledRtp.startSending();
            return answer;
        }));
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.sip.trunk.address = trunk.address().getHostString() + ":" + trunk.address().getPort();
        cfg.admin.port = 0;
        int media = 33000 + (int) (ProcessHandle.current().pid() % 50) * 40;
        cfg.media.portMin = media;
        cfg.media.portMax = media + 39;
        cfg.store.dataDir = dir.toString();
        node = new KinlineSwitch(cfg).start();
        // The called party accepts as soon as it hears the greeting: let a key pressed during the notice
        // count (consent timing is not this test's subject; InmateCallSippTest covers both settings).
        node.store().facilities().update(node.store().facilities().get(DemoData.FACILITY).orElseThrow()
                .toBuilder().consentDuringNotice(true).build());
        ApiToken.Issued inv = node.store().tokens().issue("e2e-investigator", ApiToken.Role.INVESTIGATOR);
        investigatorToken = inv.secret();
        investigatorId = inv.token().id();
        Files.copy(Path.of("../config/prompts/en/an-inmate.wav"), dir.resolve("name.wav"));
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    /** One call from a fresh station and inmate to {@code number}, up to the connected state. */
    private final class Connected implements AutoCloseable {
        final RtpPeer handset = RtpPeer.open();
        final RtpPeer called = RtpPeer.open();
        final ClientCall call;

        Connected(String number) throws Exception {
            int n = SEQ.incrementAndGet();
            String station = "37" + String.format("%03d", n);
            node.store().facilities().createStation(new Station(station, DemoData.FACILITY, Station.Kind.HANDSET, null));
            String inmate = "M" + String.format("%04d", n);
            String pin = Integer.toString(6000 + n);
            node.store().inmates().create(Inmate.of(inmate, DemoData.FACILITY, "Monitor " + inmate, "en", "gen")
                    .withNamePromptPath(dir.resolve("name.wav").toAbsolutePath().toString()), pin);
            node.store().accounts().depositDebit(inmate, new BigDecimal("10.00"));
            calledRtp = called;
            String sip = "127.0.0.1:" + node.sipUdpAddress().getPort();
            call = phone.call("sip:" + number + "@" + sip, station, handset.offer());
            assertEquals(200, call.awaitFinalStatus(WAIT), "the switch answers the handset");
            handset.acceptAnswer(call.remoteSdp());
            handset.startSending();
            assertTrue(handset.awaitAudio(HEARD_DBOV, WAIT), "the handset hears the PIN prompt");
            assertEquals(404, refused(callId()), "a call still in the IVR cannot be listened to");
            handset.sendDigits(pin).get(10, TimeUnit.SECONDS);
            ServerCall b = trunk.awaitIncomingCall(Duration.ofSeconds(60));
            assertTrue(b != null, "the switch calls the called party");
            assertTrue(called.awaitAudio(HEARD_DBOV, WAIT), "the called party hears the greeting");
            called.sendDigits("1").get(10, TimeUnit.SECONDS);
            awaitTalking();
        }

        /** The switch's id of the call (the live list names it beside the handset's SIP Call-ID). */
        String callId() {
            if (serverId == null) {
                for (ActiveCallView v : node.b2bua().list()) {
                    if (call.callId().equals(v.sipCallId())) {
                        serverId = v.callId();
                    }
                }
            }
            if (serverId == null) {
                fail("call " + call.callId() + " is not live: its id is unknown");
            }
            return serverId;
        }

        private String serverId;

        void awaitTalking() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                for (ActiveCallView v : node.b2bua().list()) {
                    if (v.callId().equals(callId()) && "talking".equals(v.state()) && v.acceptedAt() != null) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            fail("call " + callId() + " never connected; live calls: " + node.b2bua().list());
        }

        @Override
        public void close() {
            handset.close();
            called.close();
        }
    }

    /** Collects the listener's frames. */
    static final class Listener implements WebSocket.Listener {
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        volatile int closeCode;
        volatile int frames;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (pcm) {
                pcm.write(b, 0, b.length);
            }
            if (last) {
                frames++;
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode = statusCode;
            closed.complete(reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        short[] samples() {
            byte[] b;
            synchronized (pcm) {
                b = pcm.toByteArray();
            }
            short[] s = new short[b.length / 2];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
            return s;
        }
    }

    private URI listenUri(String callId) {
        return URI.create("ws://127.0.0.1:" + node.adminAddress().getPort() + "/api/calls/"
                + java.net.URLEncoder.encode(callId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "/listen");
    }

    private WebSocket listen(String callId, Listener l) {
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + investigatorToken)
                .buildAsync(listenUri(callId), l).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The status of a refused listen (fails if it was accepted). */
    private int refused(String callId) {
        try {
            listen(callId, new Listener()).abort();
        } catch (CompletionException e) {
            return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode();
        }
        throw new AssertionError("listen to " + callId + " was accepted");
    }

    /** The talking step follows acceptance closely; retry a not-yet-talking 404 for a while. */
    private WebSocket listenWhenTalking(String callId, Listener l) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return listen(callId, l);
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof WebSocketHandshakeException h) || h.getResponse().statusCode() != 404
                        || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private List<AuditEntry> audit(String callId) {
        return node.store().audit().list(null, "call:" + callId, null, null, 100);
    }

    @Test
    void investigatorHearsBothPartiesUntilTheCallEnds() throws Exception {
        String number = String.format("+1573555%04d", 3000 + SEQ.incrementAndGet());
        node.store().accounts().depositPrepaid(number, new BigDecimal("20.00"));
        try (Connected c = new Connected(number)) {
            c.handset.play(AudioSource.tone(500, 8000));
            c.called.play(AudioSource.tone(1300, 8000));
            Listener l = new Listener();
            listenWhenTalking(c.callId(), l);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (l.frames < 100 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(l.frames >= 100, "two seconds of audio: " + l.frames + " frames");
            assertTrue(l.texts.get(0).contains("\"sampleRate\":8000"), l.texts.toString());
            short[] s = l.samples();
            // Skip the first half second (jitter buffering, tones starting), then both tones must be there.
            int off = 4000;
            int len = s.length - off;
            double inmate = Goertzel.power(s, off, len, 500, 8000);
            double calledP = Goertzel.power(s, off, len, 1300, 8000);
            double other = Goertzel.power(s, off, len, 900, 8000);
            assertTrue(inmate > 100 * other, "the inmate is heard: " + inmate + " vs " + other);
            assertTrue(calledP > 100 * other, "the called party is heard: " + calledP + " vs " + other);

            c.call.bye();
            assertEquals("call ended", l.closed.get(30, TimeUnit.SECONDS));
            assertEquals(1000, l.closeCode);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (audit(c.callId()).stream().noneMatch(a -> a.action().equals("call.listen.end"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // The 404 while the call was in the IVR is audited as a refusal; then the session itself.
            List<String> actions = audit(c.callId()).stream().map(AuditEntry::action).sorted().toList();
            assertEquals(List.of("call.listen.end", "call.listen.refused", "call.listen.start"), actions);
            assertTrue(audit(c.callId()).stream().allMatch(a -> a.actor().equals(
                    "token:" + investigatorId + "(e2e-investigator)")));
        }
    }

    @Test
    void privilegedCallIsNeverMonitored() throws Exception {
        try (Connected c = new Connected("+15735550199")) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status;
            do {
                status = refused(c.callId());
                if (status == 404) {
                    Thread.sleep(100); // accepted, talking step not reported yet
                }
            } while (status == 404 && System.nanoTime() < until);
            assertEquals(403, status, "privileged call refused");
            assertTrue(node.b2bua().list().stream().anyMatch(v -> v.callId().equals(c.callId()) && v.privileged()),
                    "the live view shows the call as privileged");
            assertTrue(audit(c.callId()).stream().anyMatch(a -> a.action().equals("call.listen.refused")
                    && a.details().contains("privileged")));
            assertTrue(audit(c.callId()).stream().noneMatch(a -> a.action().equals("call.listen.start")));
            c.call.bye();
        }
    }
}
