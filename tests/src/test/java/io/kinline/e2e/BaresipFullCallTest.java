package io.kinline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinline.admin.ActiveCallView;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.Goertzel;
import io.kinline.tests.rtp.RtpPeer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole inmate call from an independent SIP-over-TLS client with mandatory SDES-SRTP (Debian's baresip):
 * it dials the number, keys the PIN as RFC 4733 events through SRTP (baresip's {@code /sndcode}, sent to its
 * UDP console), the called party (a SIP peer on the trunk) accepts with 1, and both hear each other. The
 * record says completed, billed and recorded, and the recording carries each side's tone on its channel.
 * (baresip 1.0's decoder dump keeps only the first seconds, the prompts: what it hears after the bridge
 * is not asserted; the called party's audio reaching the switch's inmate leg is, through the recording.)
 */
class BaresipFullCallTest {
    private static final Path BARESIP = Path.of("/usr/bin/baresip");
    private static final int HANDSET_HZ = 440;
    private static final int CALLED_HZ = 1800;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void baresipOverTlsAndSrtpCallsThroughPinAndConsentAndIsRecordedAndBilled() throws Exception {
        assumeTrue(Files.isExecutable(BARESIP) || System.getenv("CI") != null, "baresip not installed");
        RtpPeer calledRtp = RtpPeer.open();
        Process baresip = null;
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            trunk.behaviour(invite -> UasBehaviour.answer(300, offer -> {
                String answer = calledRtp.answer(offer);
                calledRtp.startSending();
                return answer;
            }));
            try (E2eSwitch sw = E2eSwitch.start(trunk.address(), 10, 38000,
                    f -> f.answerTimeoutSeconds(20).consentRepeats(1).consentDuringNotice(true),
                    cfg -> cfg.sip.gateways.srtp = "mandatory")) {
                String pin = Integer.toString(7000 + E2eSwitch.next());
                String inmate = sw.newInmate(pin, "en", "gen", new BigDecimal("10.00"));
                BigDecimal prepaid = new BigDecimal("5.00");
                String number = sw.newNumber(prepaid);
                String station = sw.newStation();
                int console = freeUdpPort();
                baresip = baresip(sw, station, number.substring(1), console);

                String callId = awaitCallId(sw, baresip);
                E2eSwitch.sleep(1500); // "Please enter your PIN" has started: barge in
                console(console, "/sndcode " + pin + "#\n");

                ServerCall bLeg = trunk.awaitIncomingCall(Duration.ofSeconds(60));
                assertNotNull(bLeg, "the PIN was taken and the called party is called:\n" + log());
                assertTrue(calledRtp.awaitAudio(-45, WAIT), "the called party hears the greeting");
                sw.acceptUntilTalking(callId, calledRtp);
                calledRtp.play(AudioSource.tone(CALLED_HZ, 8000));
                E2eSwitch.sleep(4000);
                long now = calledRtp.elapsedMs();
                assertEquals((double) HANDSET_HZ, calledRtp.dominantFrequency(now - 3000, now - 500, HANDSET_HZ,
                        CALLED_HZ, 1000), "the called party hears baresip's tone through SRTP");
                String secure = sw.node().b2bua().secureMedia(callId);
                assertNotNull(secure, "the inmate leg ran SRTP");

                console(console, "/hangup\n");
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
                assertEquals((double) HANDSET_HZ, Goertzel.strongest(left, 0, left.length, 8000, HANDSET_HZ,
                        CALLED_HZ), "the inmate channel carries baresip's tone");
                assertEquals((double) CALLED_HZ, Goertzel.strongest(right, 0, right.length, 8000, HANDSET_HZ,
                        CALLED_HZ), "the called channel carries the called party's tone");

                baresip.destroy(); // SIGTERM: baresip stops cleanly and closes its audio dump
                assertTrue(baresip.waitFor(30, TimeUnit.SECONDS), "baresip did not quit");
                short[] heard = decoded();
                // baresip 1.0's decoder dump holds the first seconds (the IVR's prompts), not the whole call
                assertTrue(Goertzel.levelDbov(heard, 0, heard.length) > -40,
                        "baresip heard the prompts, so it decrypted our SRTP:\n" + log());
            }
        } finally {
            if (baresip != null) {
                baresip.destroyForcibly();
            }
            calledRtp.close();
        }
    }

    /** baresip with its UDP console on {@code console}, dialling {@code user} at the switch's TLS port. */
    private Process baresip(E2eSwitch sw, String station, String user, int console) throws IOException {
        int tls = sw.node().sipTlsAddress().getPort();
        Files.writeString(home.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:0",
                "sip_trans_def tls",
                "sip_cafile " + sw.node().dataDir().resolve("secrets/sip-tls.crt"),
                "audio_player alsa,null",
                "audio_source aufile," + Wav.writeTone(home.resolve("voice.wav"), HANDSET_HZ, 60),
                "audio_alert alsa,null",
                "snd_path " + home,
                "rtp_ports 39000-39999",
                "cons_listen 127.0.0.1:" + console,
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module alsa.so",
                "module srtp.so",
                "module sndfile.so",
                "module cons.so",
                "module_app account.so",
                "module_app menu.so",
                "") + "\n");
        Files.writeString(home.resolve("accounts"), "<sip:" + station + "@127.0.0.1;transport=tls>;regint=0;"
                + "mediaenc=srtp-mand;audio_codecs=PCMU\n");
        return new ProcessBuilder(BARESIP.toString(), "-f", home.toString(), "-t", "120",
                "-e", "/dial sip:" + user + "@127.0.0.1:" + tls + ";transport=tls")
                .redirectErrorStream(true).redirectOutput(home.resolve("baresip.log").toFile()).start();
    }

    /** Types {@code keys} on baresip's console (its menu reads them one by one, as from a keyboard). */
    private static void console(int port, String keys) throws IOException {
        byte[] b = keys.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerSocket t = new ServerSocket(0)) { // cons listens on TCP too, at the same port
            return t.getLocalPort() == s.getLocalPort() ? freeUdpPort() : s.getLocalPort();
        }
    }

    private String awaitCallId(E2eSwitch sw, Process baresip) throws IOException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until && baresip.isAlive()) {
            for (ActiveCallView c : sw.node().b2bua().list()) {
                return c.callId(); // this switch serves this test alone
            }
            E2eSwitch.sleep(100);
        }
        fail("baresip's call never reached the switch:\n" + log());
        return null;
    }

    private String log() throws IOException {
        Path l = home.resolve("baresip.log");
        return Files.exists(l) ? Files.readString(l) : "(no baresip log)";
    }

    /** What baresip decoded from the switch (its sndfile module's dump). */
    private short[] decoded() throws IOException {
        Path dec;
        try (Stream<Path> files = Files.list(home)) {
            dec = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst().orElse(null);
        }
        assertNotNull(dec, "baresip dumped no decoded audio:\n" + log());
        return Wav.read(dec).channel(0);
    }
}
