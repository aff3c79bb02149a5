package io.kinline;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.config.KinlineConfig;
import io.kinline.media.files.PrivateFiles;
import io.kinline.sip.SecureTransports;
import io.kinline.sip.SipConfig;
import io.kinline.sip.transport.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sip.tls.*} and {@code sip.websocket.*} reach {@link SecureTransports}; the self-signed default. */
class SecureSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedDefaultListensOnTlsAndWssWithASelfSignedCertificate() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        SecureTransports s = KinlineSwitch.secureTransports(cfg.sip, dir.resolve("secrets"));
        assertAll(
                () -> assertEquals(5061, s.tlsPort(), "TLS on sip.port + 1"),
                () -> assertEquals(5062, s.wssPort(), "WSS on sip.port + 2"),
                () -> assertEquals(-1, s.wsPort(), "no plain WS by default"),
                () -> assertEquals(dir.resolve("secrets/sip-tls.crt"), s.certificate()),
                () -> assertEquals(dir.resolve("secrets/sip-tls.key"), s.privateKey()));
        if (PrivateFiles.posix(dir)) {
            assertEquals(PrivateFiles.FILE, Files.getPosixFilePermissions(s.privateKey()), "the key is 0600");
        }
        String fingerprint = TlsContexts.fingerprint(s.certificate());
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
        TlsContexts.server(s.certificate(), s.privateKey()); // the pair is usable
        SecureTransports again = KinlineSwitch.secureTransports(cfg.sip, dir.resolve("secrets"));
        assertEquals(fingerprint, TlsContexts.fingerprint(again.certificate()), "made once, reused after");
    }

    @Test
    void everySecureSettingIsApplied() throws Exception {
        Path[] pair = SipTlsCertificate.ensure(dir.resolve("elsewhere"), "192.0.2.7");
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.port = 0;
        cfg.sip.transports = List.of("udp", "tls", "wss", "ws");
        cfg.sip.tls.certificate = pair[0].toString();
        cfg.sip.tls.privateKey = pair[1].toString();
        cfg.sip.tls.handshakeTimeoutSeconds = 3;
        cfg.sip.websocket.plainPort = 0;
        cfg.sip.websocket.maxFrameBytes = 8192;
        cfg.sip.websocket.pingSeconds = 7;
        SecureTransports s = KinlineSwitch.secureTransports(cfg.sip, dir.resolve("secrets"));
        assertEquals(new SecureTransports(0, 0, 0, pair[0], pair[1], Duration.ofSeconds(3), 8192,
                Duration.ofSeconds(7), true), s);
        assertTrue(Files.notExists(dir.resolve("secrets/sip-tls.crt")), "no self-signed pair with a configured one");
        cfg.sip.tls.port = 5071;
        cfg.sip.websocket.port = 8089;
        s = KinlineSwitch.secureTransports(cfg.sip, dir.resolve("secrets"));
        assertEquals(5071, s.tlsPort());
        assertEquals(8089, s.wssPort());
        assertTrue(!s.portsDerived(), "configured ports never give way");
    }

    @Test
    void plainWebSocketOffLoopbackIsRefused() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        cfg.sip.bind = "0.0.0.0";
        cfg.sip.transports = List.of("ws");
        SecureTransports s = KinlineSwitch.secureTransports(cfg.sip, dir.resolve("secrets"));
        SipConfig.Builder b = KinlineSwitch.sipConfig(cfg.sip).toBuilder().secure(s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }
}
