package io.kinline.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** a=fingerprint and a=setup. */
class FingerprintTest {

    private final DtlsCertificate cert = DtlsCertificate.generate();

    @Test
    void formatsParsesAndVerifies() {
        Fingerprint f = cert.fingerprint();
        assertTrue(f.sdpValue().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), f.sdpValue());
        assertEquals(f, Fingerprint.parse(f.sdpValue()));
        assertEquals(f, Fingerprint.parse(f.sdpValue().toLowerCase().replace("sha-256", "SHA-256")));
        assertTrue(f.matches(cert.der()));
        assertFalse(f.matches(DtlsCertificate.generate().der()));
    }

    @Test
    void theStrongestHashDecides() {
        byte[] der = cert.der();
        Fingerprint sha1 = Fingerprint.of("sha-1", der);
        Fingerprint wrong256 = DtlsCertificate.generate().fingerprint();
        assertTrue(Fingerprint.verify(List.of(sha1), der), "SHA-1 alone is accepted");
        assertFalse(Fingerprint.verify(List.of(sha1, wrong256), der),
                "a right SHA-1 cannot outvote a wrong SHA-256: no downgrade");
        assertTrue(Fingerprint.verify(List.of(wrong256, Fingerprint.sha256(der)), der));
        assertTrue(Fingerprint.verify(List.of(Fingerprint.of("sha-512", der), sha1), der));
        assertFalse(Fingerprint.verify(List.of(), der));
    }

    @Test
    void refusesWeakOrMalformedValues() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("md5 " + "AB:".repeat(15) + "AB"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha-256 " + "AB:".repeat(30) + "AB"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("sha-256 zz"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("x".repeat(300)));
    }

    @Test
    void setupRoles() {
        assertEquals(DtlsSetup.PASSIVE, DtlsSetup.answerTo("actpass"));
        assertEquals(DtlsRole.SERVER, DtlsSetup.answerTo("actpass").role());
        assertEquals(DtlsSetup.PASSIVE, DtlsSetup.answerTo("active"));
        assertEquals(DtlsSetup.ACTIVE, DtlsSetup.answerTo("passive"));
        assertEquals(DtlsRole.CLIENT, DtlsSetup.answerTo("passive").role());
        assertEquals(DtlsSetup.PASSIVE, DtlsSetup.answerTo(null), "RFC 4145 default for the offerer is active");
        assertThrows(IllegalArgumentException.class, () -> DtlsSetup.answerTo("holdconn"));
        assertEquals(DtlsRole.CLIENT, DtlsSetup.roleAfterAnswer("passive"));
        assertEquals(DtlsRole.SERVER, DtlsSetup.roleAfterAnswer("active"));
        assertThrows(IllegalArgumentException.class, () -> DtlsSetup.roleAfterAnswer("actpass"));
        assertEquals("actpass", DtlsSetup.ACTPASS.sdpValue());
    }
}
