package io.kinline.media.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lite agent answering checks as Chrome sends them, and refusing the ones it must. */
class IceLiteAgentTest {

    private final SecureRandom random = new SecureRandom();
    private final IceCredentials ours = IceCredentials.random(random);
    private final IceCredentials browser = IceCredentials.random(random);
    private final InetSocketAddress from = new InetSocketAddress("192.168.7.20", 53111);

    /** A check as a controlling full agent sends it (RFC 8445 §7.1.1): USERNAME, PRIORITY, ICE-CONTROLLING. */
    private byte[] check(String username, byte[] key, boolean useCandidate, int role) {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        StunEncoder e = new StunEncoder(Stun.BINDING_REQUEST, tid).username(username).priority(1845501695L)
                .tieBreaker(role, random.nextLong());
        if (useCandidate) {
            e.useCandidate();
        }
        return e.encode(key, true);
    }

    private IceLiteAgent.Reply send(IceLiteAgent agent, byte[] wire) throws StunException {
        return agent.onStun(Unpooled.wrappedBuffer(wire), from, 42);
    }

    @Test
    void answersAValidCheckAndTakesTheNominatedAddress() throws StunException {
        IceLiteAgent agent = new IceLiteAgent(ours);
        agent.remoteCredentials(browser);
        IceLiteAgent.Reply r = send(agent, check(ours.ufrag() + ":" + browser.ufrag(), ours.key(), false,
                Stun.ICE_CONTROLLING));
        StunMessage resp = StunMessage.decode(Unpooled.wrappedBuffer(r.response()));
        assertEquals(Stun.BINDING_SUCCESS, resp.type());
        assertEquals(from, resp.xorMappedAddress());
        assertTrue(resp.verifyIntegrity(ours.key()), "signed with our password");
        assertTrue(resp.hasFingerprint());
        assertFalse(r.nominated());
        assertNull(agent.selected());
        assertTrue(agent.isValidated(from));
        assertEquals(42, agent.lastCheckNanos());

        IceLiteAgent.Reply nominated = send(agent, check(ours.ufrag() + ":" + browser.ufrag(), ours.key(), true,
                Stun.ICE_CONTROLLING));
        assertTrue(nominated.nominated());
        assertEquals(from, agent.selected());
    }

    @Test
    void refusesWrongCredentialsWith401AndNoIntegrity() throws StunException {
        IceLiteAgent agent = new IceLiteAgent(ours);
        agent.remoteCredentials(browser);
        String user = ours.ufrag() + ":" + browser.ufrag();
        assertError(agent, check(user, browser.key(), true, Stun.ICE_CONTROLLING), 401);
        assertError(agent, check("other:" + browser.ufrag(), ours.key(), true, Stun.ICE_CONTROLLING), 401);
        assertError(agent, check(ours.ufrag() + ":someoneelse", ours.key(), true, Stun.ICE_CONTROLLING), 401);
        assertError(agent, check(ours.ufrag() + ":", ours.key(), true, Stun.ICE_CONTROLLING), 401);
        assertNull(agent.selected(), "no refused check nominates anything");
        assertFalse(agent.isValidated(from));
        assertEquals(4, agent.refused());
    }

    @Test
    void answersRoleConflictWhenThePeerIsControlledToo() throws StunException {
        IceLiteAgent agent = new IceLiteAgent(new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt"));
        // RFC 5769's sample request is from a controlled agent to ufrag "evtj".
        IceLiteAgent.Reply r = send(agent, StunMessageTest.SAMPLE_REQUEST);
        StunMessage resp = StunMessage.decode(Unpooled.wrappedBuffer(r.response()));
        assertEquals(487, resp.errorCode());
        assertTrue(resp.verifyIntegrity(StunMessageTest.PASSWORD), "an authenticated error carries integrity");
    }

    @Test
    void refusesChecksMissingWhatIceRequiresAndUnknownMandatoryAttributes() throws StunException {
        IceLiteAgent agent = new IceLiteAgent(ours);
        byte[] noIntegrity = new StunEncoder(Stun.BINDING_REQUEST, new byte[12]).username(ours.ufrag() + ":x")
                .encode(null, true);
        assertError(agent, noIntegrity, 400);
        byte[] noFingerprint = new StunEncoder(Stun.BINDING_REQUEST, new byte[12]).username(ours.ufrag() + ":xyzw")
                .encode(ours.key(), false);
        assertError(agent, noFingerprint, 400);
        byte[] unknown = new StunEncoder(Stun.BINDING_REQUEST, new byte[12]).username(ours.ufrag() + ":xyzw")
                .attribute(0x0042, new byte[4]).encode(ours.key(), true);
        StunMessage resp = assertError(agent, unknown, 420);
        assertEquals(0x0042, StunMessage.uint16(resp.attribute(Stun.UNKNOWN_ATTRIBUTES), 0));
        byte[] indication = new StunEncoder(Stun.BINDING_INDICATION, new byte[12]).encode(null, true);
        assertNull(send(agent, indication).response(), "indications are keep-alives: no answer");
    }

    @Test
    void garbageNeverEscapesAsAnythingButStunException() {
        IceLiteAgent agent = new IceLiteAgent(ours);
        byte[] good = check(ours.ufrag() + ":" + browser.ufrag(), ours.key(), true, Stun.ICE_CONTROLLING);
        Random r = new Random(8445);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = good.clone();
            d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
            if (r.nextInt(4) == 0) {
                d = java.util.Arrays.copyOf(d, r.nextInt(d.length));
            }
            try {
                agent.onStun(Unpooled.wrappedBuffer(d), from, i);
            } catch (StunException expected) {
                // counted and dropped by the caller
            }
        }
        assertNull(agent.selected(), "no mutated check authenticates");
    }

    @Test
    void credentialsAreIceCharsOfTheRightLengthAndHideThePassword() {
        assertEquals(8, ours.ufrag().length());
        assertEquals(24, ours.pwd().length());
        assertTrue(ours.sdpLines().matches("a=ice-ufrag:[A-Za-z0-9+/]{8}\r\na=ice-pwd:[A-Za-z0-9+/]{24}\r\n"));
        assertFalse(ours.toString().contains(ours.pwd()));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab", "x".repeat(22)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "short"));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab\r\nc", "x".repeat(22)));
        assertEquals("a=candidate:1 1 udp 2130706431 10.0.0.5 20000 typ host\r\n",
                IceCandidates.hostLine(new InetSocketAddress("10.0.0.5", 20000)));
    }

    private StunMessage assertError(IceLiteAgent agent, byte[] wire, int code) throws StunException {
        IceLiteAgent.Reply r = send(agent, wire);
        StunMessage resp = StunMessage.decode(Unpooled.wrappedBuffer(r.response()));
        assertEquals(Stun.BINDING_ERROR, resp.type());
        assertEquals(code, resp.errorCode());
        if (code == 401) {
            assertFalse(resp.hasIntegrity(), "no integrity on an authentication failure (RFC 8489 §9.1.3)");
        }
        return resp;
    }
}
