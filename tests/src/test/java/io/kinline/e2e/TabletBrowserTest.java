package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinline.admin.ActiveCallView;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.tests.browser.BrowserAssume;
import io.kinline.tests.browser.Chromium;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * A tablet call in a real browser: Debian Chromium (headless, a 700 Hz tone as its microphone) opens the
 * reference tablet page the switch serves at {@code /tablet}, signs in over SIP on WebSocket with the
 * credential the admin API issued, dials the called party, keys the PIN on the page's keypad (RFC 4733
 * through WebRTC {@code insertDTMF}), and the called party on the trunk (JAIN-SIP {@link SipPeer} with an
 * {@link RtpPeer}) accepts with 1 and talks at 1800 Hz. Media is WebRTC end to end on the tablet's leg:
 * ICE-lite, DTLS-SRTP, Opus.
 *
 * <p>Asserted: the call record (completed, billed, recorded); the recording's inmate channel carries the
 * tablet's 700 Hz; the called party heard it too; the tablet received the called party's audio (WebRTC
 * {@code getStats}: inbound packets rise, audio energy above zero).
 */
class TabletBrowserTest {

    private static final int TABLET_HZ = 700;
    private static final int CALLED_HZ = 1800;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void tabletCallsThroughPinAndConsentAndIsRecordedAndBilled() throws Exception {
        BrowserAssume.chromiumAvailable();
        RtpPeer calledRtp = RtpPeer.open();
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            trunk.behaviour(invite -> UasBehaviour.answer(300, offer -> {
                String answer = calledRtp.answer(offer);
                calledRtp.startSending();
                return answer;
            }));
            try (E2eSwitch sw = E2eSwitch.start(trunk.address(), 10, 34000,
                    f -> f.answerTimeoutSeconds(20).consentRepeats(1).consentDuringNotice(true),
                    cfg -> cfg.sip.transports = new java.util.ArrayList<>(List.of("udp", "ws")))) {
                String pin = Integer.toString(6000 + E2eSwitch.next());
                String inmate = sw.newInmate(pin, "en", "gen", new BigDecimal("10.00"));
                BigDecimal prepaid = new BigDecimal("5.00");
                String number = sw.newNumber(prepaid);
                String station = "tab" + E2eSwitch.next();
                String password = provisionTablet(sw, station);

                Path wav = tone(tmp.resolve("tablet-tone.wav"), TABLET_HZ);
                try (Chromium browser = Chromium.start(List.of("--use-file-for-fake-audio-capture=" + wav))) {
                    WebDriver page = browser.driver();
                    String ws = "ws://127.0.0.1:" + sw.node().sipWsAddress().getPort();
                    page.get("http://127.0.0.1:" + sw.node().adminAddress().getPort() + "/tablet?processing=off&server="
                            + ws + "&station=" + station);
                    page.findElement(By.id("password")).sendKeys(password);
                    page.findElement(By.id("signinButton")).click();
                    await(() -> status(browser).startsWith("Signed in"), "the tablet signs in: " + status(browser));

                    page.findElement(By.id("number")).sendKeys(number);
                    page.findElement(By.id("call")).click();
                    await(() -> status(browser).equals("In call"), "the switch answers the tablet: " + status(browser));
                    String callId = awaitCallId(sw);
                    E2eSwitch.sleep(1500); // "Please enter your PIN" has started: barge in
                    for (char d : (pin + "#").toCharArray()) {
                        pressKey(page, d);
                        E2eSwitch.sleep(400); // insertDTMF replaces a pending tone buffer: one digit at a time
                    }

                    ServerCall bLeg = trunk.awaitIncomingCall(Duration.ofSeconds(60));
                    assertNotNull(bLeg, "the PIN was taken and the called party is called");
                    assertTrue(calledRtp.awaitAudio(-45, WAIT), "the called party hears the greeting");
                    sw.acceptUntilTalking(callId, calledRtp);
                    long before = inboundPackets(browser);
                    calledRtp.play(AudioSource.tone(CALLED_HZ, 8000));
                    E2eSwitch.sleep(4000);
                    long cNow = calledRtp.elapsedMs();
                    assertEquals((double) TABLET_HZ, calledRtp.dominantFrequency(cNow - 3000, cNow - 500, TABLET_HZ,
                            CALLED_HZ, 440), "the called party hears the tablet's microphone");
                    Map<?, ?> stats = (Map<?, ?>) browser.js("return window.kinlineTablet.stats;");
                    long after = inboundPackets(browser);
                    assertTrue(after > before + 100, "the tablet keeps receiving audio: " + before + " -> " + after);
                    assertTrue(((Number) stats.get("totalAudioEnergy")).doubleValue() > 0, "with energy: " + stats);
                    assertEquals("audio/opus", String.valueOf(stats.get("sendCodec")).toLowerCase(java.util.Locale.ROOT),
                            "the tablet sends Opus (media.webrtcCodecs default): " + stats);
                    assertEquals("audio/pcmu", String.valueOf(stats.get("codec")).toLowerCase(java.util.Locale.ROOT),
                            "and hears the switch's PCMU (media.webrtcSendOpus default: off): " + stats);

                    page.findElement(By.id("hangup")).click();
                    await(() -> status(browser).startsWith("Call ended"), "hung up: " + status(browser));
                    assertNotNull(bLeg.awaitRequest("BYE", WAIT), "the called party gets BYE");

                    CallRecord r = sw.awaitCdr(callId);
                    assertEquals(CallOutcome.COMPLETED, r.outcome(), r.toString());
                    assertEquals(station, r.station());
                    assertEquals(inmate, r.inmateId());
                    assertTrue(r.billedSeconds() >= 60 && r.charge().signum() > 0, "billed: " + r);
                    assertTrue(prepaid.compareTo(sw.prepaidBalance(number)) > 0, "the prepaid account paid");
                    assertNotNull(r.recording(), "recorded");
                    Wav rec = Wav.awaitComplete(Path.of(r.recording()), Duration.ofSeconds(20));
                    short[] left = rec.channel(0);
                    short[] right = rec.channel(1);
                    assertEquals((double) TABLET_HZ, Goertzel.strongest(left, 0, left.length, 8000, TABLET_HZ, CALLED_HZ),
                            "the inmate channel carries the tablet's tone");
                    assertEquals((double) CALLED_HZ, Goertzel.strongest(right, 0, right.length, 8000, TABLET_HZ, CALLED_HZ));
                    assertTrue(Goertzel.levelDbov(left, 0, left.length) > -35, "the tablet's channel has audio");
                }
            }
        } finally {
            calledRtp.close();
        }
    }

    /** Creates the tablet station in the General Population unit and has the admin API issue its password. */
    private static String provisionTablet(E2eSwitch sw, String station) throws Exception {
        HttpResponse<String> created = admin(sw, "POST", "/api/stations", Map.of("id", station, "facility",
                DemoData.FACILITY, "kind", "tablet", "housingUnit", "gen"));
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> credential = admin(sw, "POST", "/api/stations/" + station + "/credential", Map.of());
        assertEquals(201, credential.statusCode(), credential.body());
        JsonNode body = JSON.readTree(credential.body());
        assertEquals(station, body.get("username").asText());
        return body.get("password").asText();
    }

    static HttpResponse<String> admin(E2eSwitch sw, String method, String path, Map<String, String> json)
            throws Exception {
        String token = Files.readString(sw.node().adminTokenFile()).strip();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + sw.node().adminAddress().getPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json.isEmpty() && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void pressKey(WebDriver page, char d) {
        page.findElements(By.cssSelector("#pad button")).stream().filter(b -> b.getText().equals(String.valueOf(d)))
                .findFirst().orElseThrow().click();
    }

    private static String status(Chromium browser) {
        Object s = browser.js("return document.getElementById('status').textContent;");
        return s == null ? "" : s.toString();
    }

    private static long inboundPackets(Chromium browser) {
        Object n = browser.js("const s = window.kinlineTablet.stats; return s ? s.packetsReceived : 0;");
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static String awaitCallId(E2eSwitch sw) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            List<ActiveCallView> calls = sw.node().b2bua().list();
            if (!calls.isEmpty()) {
                return calls.get(0).callId();
            }
            E2eSwitch.sleep(100);
        }
        fail("no call in progress on the switch");
        return null;
    }

    private static void await(BooleanSupplier condition, String what) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                fail(what);
            }
            E2eSwitch.sleep(100);
        }
    }

    /** 10 s of a sine at {@code hz}, 48 kHz mono 16-bit, -12 dBFS: Chromium loops it as the microphone. */
    static Path tone(Path file, int hz) throws Exception {
        int rate = 48_000;
        int n = rate * 10;
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcm.putShort((short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(n * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h.array());
        out.write(pcm.array());
        Files.write(file, out.toByteArray());
        return file;
    }
}
