package io.kinline;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.config.KinlineConfig;
import io.kinline.media.MediaConfig;
import io.kinline.sip.SipConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code sip.*} and {@code media.*} setting reaches the component that applies it. */
class SettingsMappingTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreTheComponentsOwn() throws Exception {
        KinlineConfig cfg = new KinlineConfig();
        SipConfig sip = KinlineSwitch.sipConfig(cfg.sip);
        assertEquals(SipConfig.DEFAULTS.toBuilder().trunk(sip.trunk()).build(), sip,
                "with the yaml defaults (and its trunk), SipConfig is SipConfig.DEFAULTS");
        assertEquals(MediaConfig.defaults(), KinlineSwitch.mediaConfig(cfg.media),
                "with the yaml defaults, MediaConfig is MediaConfig.defaults()");
    }

    @Test
    void everySipAndMediaSettingIsApplied() throws Exception {
        Path file = Files.writeString(dir.resolve("k.yaml"), """
                sip:
                  advertise: 192.0.2.7
                  transports: [tcp]
                  t1Millis: 250
                  t2Millis: 2000
                  t4Millis: 2500
                  maxInitialLineBytes: 2048
                  maxHeaderBlockBytes: 8192
                  maxBodyBytes: 16384
                  maxConcurrentCalls: 500
                  maxCallsPerSecond: 50
                  retryAfterSeconds: 10
                  sessionExpiresSeconds: 900
                  minSessionExpiresSeconds: 120
                  idleConnectionSeconds: 600
                  nonceValiditySeconds: 60
                  ioThreads: 4
                  maxCoreBacklog: 5000
                  userAgent: K3
                  gateways: {allow: [10.0.0.0/8], realm: r, users: {gw: pw}}
                  trunk: {address: "192.0.2.10:5070", transport: tcp, username: u, password: p, callerId: "+1555"}
                media:
                  advertise: 192.0.2.8
                  portMin: 30000
                  portMax: 30999
                  ptimeMillis: 30
                  mediaTimeoutSeconds: 60
                  rtcpIntervalSeconds: 10
                  inbandDtmf: false
                  telephoneEventPt: 96
                  recordingThreads: 4
                  eventLoopThreads: 3
                """);
        KinlineConfig cfg = KinlineConfig.load(file);
        SipConfig s = KinlineSwitch.sipConfig(cfg.sip);
        MediaConfig m = KinlineSwitch.mediaConfig(cfg.media);
        assertAll(
                () -> assertEquals(InetAddress.getByName("192.0.2.7"), s.advertisedAddress(), "sip.advertise"),
                () -> assertEquals(-1, s.udpPort(), "sip.transports without udp"),
                () -> assertEquals(5060, s.tcpPort(), "sip.port on tcp"),
                () -> assertEquals(Duration.ofMillis(250), s.t1(), "sip.t1Millis"),
                () -> assertEquals(Duration.ofMillis(2000), s.t2(), "sip.t2Millis"),
                () -> assertEquals(Duration.ofMillis(2500), s.t4(), "sip.t4Millis"),
                () -> assertEquals(2048, s.maxInitialLine(), "sip.maxInitialLineBytes"),
                () -> assertEquals(8192, s.maxHeaderBlock(), "sip.maxHeaderBlockBytes"),
                () -> assertEquals(16384, s.maxBody(), "sip.maxBodyBytes"),
                () -> assertEquals(500, s.maxConcurrentCalls(), "sip.maxConcurrentCalls"),
                () -> assertEquals(50.0, s.maxCallsPerSecond(), "sip.maxCallsPerSecond"),
                () -> assertEquals(10, s.retryAfterSeconds(), "sip.retryAfterSeconds"),
                () -> assertEquals(900, s.sessionExpires(), "sip.sessionExpiresSeconds"),
                () -> assertEquals(120, s.minSessionExpires(), "sip.minSessionExpiresSeconds"),
                () -> assertEquals(Duration.ofSeconds(600), s.tcpIdleTimeout(), "sip.idleConnectionSeconds"),
                () -> assertEquals(Duration.ofSeconds(60), s.nonceValidity(), "sip.nonceValiditySeconds"),
                () -> assertEquals(4, s.ioThreads(), "sip.ioThreads"),
                () -> assertEquals(5000, s.maxCoreBacklog(), "sip.maxCoreBacklog"),
                () -> assertEquals("K3", s.userAgent(), "sip.userAgent"),
                () -> assertEquals(java.util.List.of("10.0.0.0/8"), s.gatewayAllowList(), "sip.gateways.allow"),
                () -> assertEquals("r", s.gatewayRealm(), "sip.gateways.realm"),
                () -> assertEquals(java.util.Map.of("gw", "pw"), s.gatewayUsers(), "sip.gateways.users"),
                () -> assertEquals(5070, s.trunk().getPort(), "sip.trunk.address"),
                () -> assertEquals("tcp", s.trunkTransport(), "sip.trunk.transport"),
                () -> assertEquals("u", s.trunkUsername(), "sip.trunk.username"),
                () -> assertEquals("p", s.trunkPassword(), "sip.trunk.password"),
                () -> assertEquals("+1555", s.callerId(), "sip.trunk.callerId"),
                () -> assertEquals("192.0.2.8", m.advertisedAddress(), "media.advertise"),
                () -> assertEquals(30000, m.portMin(), "media.portMin"),
                () -> assertEquals(30999, m.portMax(), "media.portMax"),
                () -> assertEquals(30, m.ptimeMillis(), "media.ptimeMillis"),
                () -> assertEquals(Duration.ofSeconds(60), m.mediaTimeout(), "media.mediaTimeoutSeconds"),
                () -> assertEquals(Duration.ofSeconds(10), m.rtcpInterval(), "media.rtcpIntervalSeconds"),
                () -> assertEquals(false, m.inbandDtmf(), "media.inbandDtmf"),
                () -> assertEquals(96, m.telephoneEventPt(), "media.telephoneEventPt"),
                () -> assertEquals(4, m.recordingThreads(), "media.recordingThreads"),
                () -> assertEquals(3, m.eventLoopThreads(), "media.eventLoopThreads"));
    }
}
