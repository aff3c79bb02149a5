package io.kinline.media;

import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Playlist;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One leg's RTP session: a local port pair, the negotiated codec, and what is played or relayed.
 *
 * <p>The SSRC, sequence numbers and timestamps this endpoint sends stay continuous across prompt
 * playback, relay and announcements; the marker bit is set at each change of source.
 */
public interface MediaEndpoint extends AutoCloseable {

    String callId();

    String leg();

    /** The local RTP address (RTCP is on the next port). */
    InetSocketAddress localAddress();

    /** An SDP offer for this endpoint (for an outgoing INVITE). */
    String createOffer();

    /**
     * Applies the peer's offer (an initial INVITE or a re-INVITE, including hold) and returns the
     * answer.
     *
     * @throws SdpException with {@link SdpException#noCommonCodec()} true when no codec matches (488)
     */
    String answer(String remoteOffer) throws SdpException;

    /** Applies the peer's answer to {@link #createOffer()}. */
    void applyAnswer(String remoteAnswer) throws SdpException;

    /** The negotiated codec, or null before negotiation. */
    Codec codec();

    /**
     * SDES-SRTP for this leg's next {@link #answer}: whether an {@code RTP/SAVP} offer with {@code a=crypto} is taken
     * (SRTP both ways) or required. Set it only for legs signalled over TLS (RFC 4568 §8.3). Default: off.
     */
    default void sdesPolicy(io.kinline.media.srtp.SdesPolicy policy) {
    }

    /** "SRTP in n ok, m dropped; out k failed" when this leg runs SRTP, else null. */
    default String secureMedia() {
        return null;
    }

    /**
     * Plays a playlist to the peer, replacing whatever was playing. A {@link MediaEvent.PlaybackDone}
     * follows. With {@code bargeIn}, a received DTMF digit stops playback (the digit is still reported).
     */
    void play(Playlist playlist, boolean bargeIn);

    /** Stops playback; a {@link MediaEvent.PlaybackDone} with {@code interrupted=true} follows if one was playing. */
    void stopPlayback();

    /** Sends a digit to the peer as RFC 4733 events (or in-band when the peer did not offer telephone-event). */
    void sendDtmf(char digit, int durationMillis);

    /**
     * Records what the peer says into a mono WAV (the inmate's recorded name). Stops by itself after
     * {@code maxMillis}, raising {@link MediaEvent.CaptureDone}.
     */
    void startCapture(Path wavFile, int maxMillis);

    void stopCapture();

    /**
     * Turns in-band DTMF detection on this leg on or off (RFC 4733 events are always taken). The
     * detector is the costliest work done on each received packet, so a leg whose keys nobody
     * listens to at the moment should not run it.
     */
    void inbandDtmf(boolean on);

    /**
     * Runs the three-way detector ({@code io.kinline.media.threeway}) on what this leg receives: its
     * decoded audio, its digits and flashes, with the switch's own prompts to it masked. Findings come
     * as {@link MediaEvent.ThreeWay}. Off by default; turning it off ends an episode in progress, whose
     * complete evidence is then raised. In-band DTMF detection should stay on for the leg: the detector
     * takes its digits from it rather than running a second one.
     */
    void threeWayDetection(boolean on);

    /** Loss, jitter and packet counts so far. */
    RtpStatistics statistics();

    boolean isClosed();

    /** Releases the ports. Idempotent. */
    @Override
    void close();
}
