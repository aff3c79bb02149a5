package io.kinline.media.rtp;

import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What one endpoint sends: on each frame time, a digit we send has the line, else the playlist, else an
 * announcement alone when nothing was relayed lately; between frames, packets relayed from the bridged
 * partner (with the announcement mixed in). Everything goes out through one {@link SendStream}.
 * Loop-confined.
 */
final class Outgoing {

    /** When relaying with an announcement, a frame time with no relayed packet for this long sends it alone. */
    private static final long RELAY_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SendStream stream;
    private final Playback playback;
    private final Announcement announcement;
    private final DtmfSender dtmf;
    private final byte[] scratch = new byte[RtpPacket.MAX_LENGTH];
    private final short[] pcm = new short[RtpPacket.MAX_LENGTH];

    Outgoing(SendStream stream, Consumer<MediaEvent> events) {
        this.stream = stream;
        this.playback = new Playback(events);
        this.announcement = new Announcement(events);
        this.dtmf = new DtmfSender(stream);
    }

    SendStream stream() {
        return stream;
    }

    void play(List<Prompt> prompts, boolean bargeIn) {
        stream.newTalkSpurt(); // a new playlist is a new talk spurt: marker bit
        playback.start(prompts, bargeIn);
    }

    void stopPlayback() {
        playback.stop(true);
    }

    /** A received digit: barge-in stops the playlist. */
    void onDigit() {
        if (playback.bargeIn()) {
            playback.stop(true);
        }
    }

    void sendDtmf(char digit, int event, int ms, boolean asEvent) {
        dtmf.start(digit, event, ms, asEvent);
    }

    void announce(short[] overlay, boolean notify) {
        announcement.start(overlay, notify);
    }

    void stopAnnouncement() {
        announcement.stop();
    }

    /** The endpoint closed: nothing more plays, and nothing is reported. */
    /** Whether a prompt or an announcement is going out to this leg now (its echo is not the party's line). */
    boolean speaking() {
        return playback.active() || announcement.active();
    }

    void clear() {
        playback.clear();
        announcement.clear();
    }

    /** One frame time ({@code frameSamples}): sends what has the line. {@code to}: null when we may not send. */
    void frame(Negotiated s, int frameSamples, long now, InetSocketAddress to) {
        boolean send = s.sending() && to != null;
        Codec codec = s.codec();
        if (dtmf.active()) {
            dtmf.tick(s, codec, frameSamples, send, now, to, pcm, scratch);
        } else if (playback.active()) {
            if (playback.nextFrame(codec, scratch, frameSamples) && send) {
                stream.sendAudio(Source.PLAYBACK, s.sendPayloadType(), scratch, frameSamples, frameSamples, now, to);
            }
            playback.endIfUsedUp();
        } else if (announcement.active() && now - stream.lastRelayNanos() > RELAY_IDLE_NANOS) {
            // Nothing relayed lately (the other party is silent or suppresses silence): the
            // announcement still has to be heard, so send it alone.
            Arrays.fill(pcm, 0, frameSamples, (short) 0);
            announcement.mixInto(pcm, frameSamples);
            if (send) {
                codec.encode(pcm, 0, scratch, 0, frameSamples); // the codec seam on the way out
                stream.sendAudio(Source.OVERLAY, s.sendPayloadType(), scratch, frameSamples, frameSamples, now, to);
            }
        }
    }

    /**
     * Relays a packet the partner received, rewriting it in place: the event payload type, or the audio
     * transcoded by table (G.711 to G.711 keeps the size) with the announcement mixed in.
     */
    void relay(Negotiated s, RtpPacket p, boolean event, Codec inCodec, long now, InetSocketAddress to) {
        if (playback.active() || dtmf.active()) {
            return; // our own audio has the line: prompts to this party, or a DTMF we are sending
        }
        int n = p.payloadLength();
        if (event) {
            if (s.sendTelephoneEventPt() < 0) {
                return;
            }
            p.setPayloadType(s.sendTelephoneEventPt());
            stream.relay(p, n, 0, now, to);
            return;
        }
        Codec out = s.codec();
        if (announcement.active() && n > 0) {
            p.buffer().getBytes(p.payloadIndex(), scratch, 0, n);
            inCodec.decode(scratch, 0, pcm, 0, n);
            announcement.mixInto(pcm, n);
            out.encode(pcm, 0, scratch, 0, n); // G.711 both ways: the payload keeps its size
            p.buffer().setBytes(p.payloadIndex(), scratch, 0, n);
        } else if (inCodec != out && n > 0) {
            Transcoder.transcode(p.buffer(), p.payloadIndex(), n, inCodec, out, scratch);
        }
        p.setPayloadType(s.sendPayloadType());
        stream.relay(p, n, n, now, to);
    }
}
