package io.kinline.media.rtp;

/**
 * Receives the decoded audio an endpoint gets from its peer, with the packet's RTP timestamp.
 * Called on the endpoint's event loop; must not block and must copy what it keeps.
 */
@FunctionalInterface
public interface AudioTap {
    void onAudio(RtpEndpoint from, long rtpTimestamp, short[] pcm, int off, int len);
}
