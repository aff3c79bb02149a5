package io.kinline.media;

import io.kinline.media.prompt.PromptLibrary;

/**
 * The media engine: RTP endpoints, prompts, bridges and recordings. It knows nothing of SIP; the
 * switch drives it with SDP strings and gets {@link MediaEvent}s back.
 *
 * <p>All packet work runs on Netty event loops. Methods here are safe to call from any thread (the
 * call's virtual thread, typically); they hand work to the endpoint's event loop and return.
 */
public interface MediaEngine extends AutoCloseable {

    /**
     * Allocates an even RTP port (RTCP on the next one) from the configured range and binds it.
     *
     * @param callId   the call this endpoint belongs to, for logs and file names
     * @param leg      a short leg name, such as {@code "inmate"} or {@code "called"}
     * @param listener receives this endpoint's events; it is called on an event loop and must not block
     * @throws MediaException when no port pair is free
     */
    MediaEndpoint createEndpoint(String callId, String leg, MediaListener listener) throws MediaException;

    /**
     * Relays audio both ways between two endpoints, transcoding when their codecs differ. The first
     * endpoint is the inmate side: it is the left channel of recordings.
     */
    Bridge bridge(MediaEndpoint inmateSide, MediaEndpoint calledSide);

    /** The prompts this engine plays. */
    PromptLibrary prompts();

    /** Endpoints currently open. */
    int openEndpoints();

    @Override
    void close();
}
