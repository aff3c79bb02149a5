package io.kinline.media.ice;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The lite ICE agent of one WebRTC leg (RFC 8445 §2.5, §7.3): it never sends checks, it answers the
 * peer's binding requests, and takes the address a USE-CANDIDATE check came from as the one pair.
 *
 * <p>For each binding request it answers (RFC 8489 §9.1.3, RFC 8445 §7.3.1.1):
 * <ul>
 *   <li>400 if MESSAGE-INTEGRITY, USERNAME or FINGERPRINT is missing (ICE requires all three);</li>
 *   <li>420 with UNKNOWN-ATTRIBUTES for comprehension-required attributes it does not know;</li>
 *   <li>401 if USERNAME is not {@code <our ufrag>:<their ufrag>} or the integrity check fails;</li>
 *   <li>487 (role conflict) if the peer claims ICE-CONTROLLED: a lite agent is always controlled;</li>
 *   <li>otherwise a success with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (our password) and FINGERPRINT.</li>
 * </ul>
 * Responses that are not about authentication failures carry integrity (RFC 8489 §9.1.3). Garbage,
 * responses and indications get no answer ({@link StunException} or an empty {@link Reply}).
 *
 * <p>Every authenticated check refreshes consent (RFC 7675): {@link #lastCheckNanos()} lets the
 * endpoint stop sending media when the browser stops checking (e.g. after 30 s).
 *
 * <p>Confined to the leg's event loop.
 */
public final class IceLiteAgent {

    /** How many distinct source addresses with a successful check are remembered. */
    static final int MAX_VALIDATED = 8;

    private final IceCredentials local;
    private final byte[] key;
    private volatile IceCredentials remote;
    private final ArrayDeque<InetSocketAddress> validated = new ArrayDeque<>();
    private InetSocketAddress selected;
    private long lastCheckNanos;
    private long checks;
    private long refused;

    public IceLiteAgent(IceCredentials local) {
        this.local = local;
        this.key = local.key();
    }

    /** The answer to one datagram: bytes to send back to {@code to} (or null), and what it changed. */
    public record Reply(byte[] response, InetSocketAddress to, boolean nominated) {
        static final Reply NONE = new Reply(null, null, false);
    }

    public IceCredentials localCredentials() {
        return local;
    }

    /** The peer's credentials from its SDP; when set, USERNAME must end with its ufrag. */
    public void remoteCredentials(IceCredentials peer) {
        this.remote = peer;
    }

    /**
     * Handles one STUN datagram from {@code from} received at {@code nowNanos}.
     *
     * @throws StunException when it is not a well-formed STUN message (count it, drop it)
     */
    public Reply onStun(ByteBuf datagram, InetSocketAddress from, long nowNanos) throws StunException {
        StunMessage m = StunMessage.decode(datagram);
        if (!m.isRequest()) {
            return Reply.NONE; // indications (keep-alives) and stray responses: nothing to say
        }
        if (m.type() != Stun.BINDING_REQUEST) {
            return error(m, from, Stun.ERROR_BAD_REQUEST, "Only Binding is served", false);
        }
        if (!m.hasIntegrity() || !m.has(Stun.USERNAME) || !m.hasFingerprint()) {
            return error(m, from, Stun.ERROR_BAD_REQUEST, "ICE checks need USERNAME, MESSAGE-INTEGRITY, FINGERPRINT", false);
        }
        int[] unknown = m.unknownComprehensionRequired();
        if (unknown.length > 0) {
            byte[] r = new StunEncoder(Stun.BINDING_ERROR, m.transactionId())
                    .errorCode(Stun.ERROR_UNKNOWN_ATTRIBUTE, "Unknown Attribute").unknownAttributes(unknown)
                    .encode(null, true);
            refused++;
            return new Reply(r, from, false);
        }
        if (!usernameMatches(m.username()) || !m.verifyIntegrity(key)) {
            return error(m, from, Stun.ERROR_UNAUTHORIZED, "Unauthorized", false);
        }
        if (m.has(Stun.ICE_CONTROLLED)) {
            return error(m, from, Stun.ERROR_ROLE_CONFLICT, "Role Conflict: the lite agent is controlled", true);
        }
        checks++;
        lastCheckNanos = nowNanos;
        remember(from);
        boolean nominated = m.has(Stun.USE_CANDIDATE) && m.has(Stun.ICE_CONTROLLING);
        if (nominated) {
            selected = from;
        }
        byte[] r = new StunEncoder(Stun.BINDING_SUCCESS, m.transactionId()).xorMappedAddress(from).encode(key, true);
        return new Reply(r, from, nominated);
    }

    private boolean usernameMatches(String username) {
        String prefix = local.ufrag() + ":";
        if (username == null || !username.startsWith(prefix) || username.length() == prefix.length()) {
            return false;
        }
        IceCredentials peer = remote;
        return peer == null || username.substring(prefix.length()).equals(peer.ufrag());
    }

    private Reply error(StunMessage m, InetSocketAddress from, int code, String reason, boolean withIntegrity) {
        refused++;
        byte[] r = new StunEncoder(Stun.BINDING_ERROR, m.transactionId()).errorCode(code, reason)
                .encode(withIntegrity ? key : null, true);
        return new Reply(r, from, false);
    }

    private void remember(InetSocketAddress from) {
        if (validated.remove(from)) {
            validated.addFirst(from);
            return;
        }
        if (validated.size() == MAX_VALIDATED) {
            validated.removeLast();
        }
        validated.addFirst(from);
    }

    /** Whether a successful check came from {@code address}: only then accept DTLS or media from it. */
    public boolean isValidated(InetSocketAddress address) {
        return validated.contains(address);
    }

    /** The address the peer nominated (USE-CANDIDATE), where media goes; null until then. */
    public InetSocketAddress selected() {
        return selected;
    }

    /** When the last authenticated check arrived (consent freshness), or 0. */
    public long lastCheckNanos() {
        return lastCheckNanos;
    }

    public long checks() {
        return checks;
    }

    /** Requests answered with an error (bad credentials, missing attributes, role conflict). */
    public long refused() {
        return refused;
    }
}
