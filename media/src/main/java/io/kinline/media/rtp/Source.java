package io.kinline.media.rtp;

/**
 * What feeds an endpoint's outgoing stream. The stream stays one SSRC and one sequence/timestamp
 * space whatever feeds it; each change of source starts a new talk spurt (marker bit, timestamp
 * advanced by the wall-clock time since the last packet).
 */
enum Source {
    /** Nothing yet, or a forced new talk spurt (new playlist, new codec). */
    NONE,
    /** A playlist of prompts ({@link Playback}). */
    PLAYBACK,
    /** A digit we send, as RFC 4733 events or an in-band tone ({@link DtmfSender}). */
    DTMF,
    /** An announcement sent alone because nothing was relayed lately ({@link Announcement}). */
    OVERLAY,
    /** Packets relayed from the bridged partner, mapped into our space ({@link SendStream#relay}). */
    RELAY
}
