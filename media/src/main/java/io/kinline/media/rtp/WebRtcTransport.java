package io.kinline.media.rtp;

import io.kinline.log.CallMdc;
import io.kinline.media.dtls.DtlsCertificate;
import io.kinline.media.dtls.DtlsRole;
import io.kinline.media.dtls.DtlsSrtpHandshake;
import io.kinline.media.dtls.DtlsSrtpKeys;
import io.kinline.media.dtls.Fingerprint;
import io.kinline.media.ice.IceLiteAgent;
import io.kinline.media.ice.PacketKind;
import io.kinline.media.ice.StunException;
import io.kinline.media.srtp.SrtpReceiver;
import io.kinline.media.srtp.SrtpResult;
import io.kinline.media.srtp.SrtpSender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC leg's {@link PacketTransport}: one UDP port carrying STUN, DTLS and SRTP/SRTCP (RFC 7983
 * demultiplexing, RTCP-mux), in front of the endpoint's plain-RTP rooms.
 *
 * <pre>
 * datagram ─► STUN ─► ICE-lite agent ─► binding response back to the sender
 *          ─► DTLS (from ICE-validated addresses only) ─► handshake thread ─► SRTP keys (installed on the loop)
 *          ─► SRTP/SRTCP ─► unprotect ─► {@link WireTranslation} (Opus → 8 kHz PCMU) ─► endpoint
 * endpoint ─► WireTranslation (PCMU → Opus) ─► protect ─► the address the browser nominated
 * </pre>
 *
 * <p>Nothing is sent before the keys exist and the browser has nominated a pair; nothing is accepted
 * from an address that did not pass an ICE check with our password (so a stranger can neither start
 * handshakes nor inject media), and RFC 7675 consent: after 30 s without a check we stop sending.
 * Loop-confined apart from the DTLS sink, which Netty makes thread safe.
 */
final class WebRtcTransport implements PacketTransport, PacketReceiver {

    private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);
    /** Bytes of room SRTP/SRTCP needs after the packet: 4 (E flag and index) + 10 (tag). */
    static final int SRTP_ROOM = 14;
    static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final UdpPacketTransport udp;
    private final PacketReceiver endpoint;
    private final IceLiteAgent ice;
    private final WireTranslation wire;
    private final LongSupplier clock;
    private final String callId;
    private DtlsSrtpHandshake dtls;
    private volatile InetSocketAddress dtlsPeer;
    private SrtpSender sender;
    private SrtpReceiver receiver;
    private boolean closed;
    private long droppedBeforeKeys;
    private long droppedUnvalidated;
    private long droppedSrtp;
    private long unsent;

    WebRtcTransport(UdpPacketTransport udp, PacketReceiver endpoint, IceLiteAgent ice, WireTranslation wire,
            LongSupplier clock, String callId) {
        this.udp = udp;
        this.endpoint = endpoint;
        this.ice = ice;
        this.wire = wire;
        this.clock = clock;
        this.callId = callId;
    }

    /**
     * Starts the DTLS handshake in {@code role}; the keys are installed on {@code loop}, and
     * {@code failed} hears (on the loop) why there will be none.
     */
    void startDtls(DtlsRole role, DtlsCertificate certificate, List<Fingerprint> peer, EventLoop loop,
            Consumer<Throwable> failed) {
        dtls = new DtlsSrtpHandshake(role, certificate, peer, this::sendDtls, DtlsSrtpHandshake.DEFAULT_TIMEOUT);
        dtls.keys().whenComplete((keys, err) -> loop.execute(() -> {
            if (err != null) {
                failed.accept(err);
            } else {
                install(keys);
            }
        }));
        dtls.start("dtls-" + callId);
    }

    boolean secured() {
        return sender != null;
    }

    private void install(DtlsSrtpKeys keys) {
        if (closed) {
            return;
        }
        sender = keys.sender();
        receiver = keys.receiver();
        CallMdc.run(callId, () -> log.debug("DTLS-SRTP keys installed ({} ms handshake)",
                TimeUnit.NANOSECONDS.toMillis(dtls.handshakeNanos())));
    }

    /** Called on the handshake thread. */
    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress to = dtlsPeer != null ? dtlsPeer : ice.selected();
        if (to != null) {
            udp.sendRtp(Unpooled.copiedBuffer(data, offset, length), to);
        }
    }

    // ---- inbound: the UDP socket hands every datagram here ----

    @Override
    public void onRtp(ByteBuf buf, InetSocketAddress from, long now) {
        switch (PacketKind.of(buf)) {
            case STUN -> onStun(buf, from, now);
            case DTLS -> {
                if (dtls != null && ice.isValidated(from)) {
                    dtlsPeer = from;
                    dtls.onDatagram(buf);
                } else {
                    droppedUnvalidated++;
                }
            }
            case RTP -> onSrtp(buf, from, now, false);
            case RTCP -> onSrtp(buf, from, now, true);
            default -> droppedSrtp++;
        }
    }

    @Override
    public void onRtcp(ByteBuf packet, InetSocketAddress from, long nowNanos) {
        droppedUnvalidated++; // RTCP-mux: nothing belongs on the second port
    }

    private void onStun(ByteBuf buf, InetSocketAddress from, long now) {
        try {
            IceLiteAgent.Reply r = ice.onStun(buf, from, now);
            if (r.response() != null) {
                udp.sendRtp(Unpooled.wrappedBuffer(r.response()), r.to());
            }
        } catch (StunException e) {
            droppedUnvalidated++;
        }
    }

    private void onSrtp(ByteBuf buf, InetSocketAddress from, long now, boolean rtcp) {
        if (receiver == null) {
            droppedBeforeKeys++;
            return;
        }
        if (!ice.isValidated(from)) {
            droppedUnvalidated++;
            return;
        }
        SrtpResult r = rtcp ? receiver.unprotectRtcp(buf) : receiver.unprotectRtp(buf);
        if (r != SrtpResult.OK) {
            droppedSrtp++;
            return;
        }
        if (rtcp) {
            endpoint.onRtcp(buf, from, now);
            return;
        }
        ByteBuf plain = wire.inbound(buf, udp.alloc());
        if (plain == null) {
            return;
        }
        try {
            endpoint.onRtp(plain, from, now);
        } finally {
            if (plain != buf) {
                plain.release();
            }
        }
    }

    // ---- outbound ----

    @Override
    public ByteBufAllocator alloc() {
        return udp.alloc();
    }

    @Override
    public void sendRtp(ByteBuf packet, InetSocketAddress to) {
        InetSocketAddress peer = sendable();
        if (peer == null) {
            packet.release();
            return;
        }
        ByteBuf out = wire.outbound(packet, udp.alloc());
        if (out != null) {
            protectAndSend(out, peer, false);
        }
    }

    @Override
    public void sendRtcp(ByteBuf packet, InetSocketAddress to) {
        InetSocketAddress peer = sendable();
        if (peer == null) {
            packet.release();
            return;
        }
        protectAndSend(packet, peer, true);
    }

    /** Where to send now, or null: no keys, no nominated pair, or no consent for 30 s (RFC 7675). */
    private InetSocketAddress sendable() {
        InetSocketAddress peer = ice.selected();
        if (closed || sender == null || peer == null || clock.getAsLong() - ice.lastCheckNanos() > CONSENT_NANOS) {
            unsent++;
            return null;
        }
        return peer;
    }

    private void protectAndSend(ByteBuf packet, InetSocketAddress peer, boolean rtcp) {
        ByteBuf buf = packet;
        if (buf.writableBytes() < SRTP_ROOM || buf.refCnt() > 1 || buf.isReadOnly()) {
            // A relayed packet is a slice of the partner's receive buffer: copy it, with room for the tag.
            buf = udp.alloc().ioBuffer(packet.readableBytes() + SRTP_ROOM);
            buf.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
            packet.release();
        }
        SrtpResult r = rtcp ? sender.protectRtcp(buf) : sender.protectRtp(buf);
        if (r != SrtpResult.OK) {
            buf.release();
            droppedSrtp++;
            return;
        }
        udp.sendRtp(buf, peer);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (dtls != null) {
            dtls.close();
        }
        udp.close();
        CallMdc.run(callId, () -> log.debug("WebRTC leg closed: {} ICE checks; received and dropped {} before keys, "
                + "{} unvalidated, {} failing SRTP, {} untranslatable; {} not sent (no keys, pair or consent)", ice.checks(),
                droppedBeforeKeys, droppedUnvalidated, droppedSrtp, wire.refused(), unsent));
    }
}
