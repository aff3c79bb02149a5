package io.kinline.media;

import java.time.Duration;
import java.util.Objects;

/**
 * Media engine settings. Immutable; build with {@link #builder()} or take {@link #defaults()}.
 *
 * @param bindAddress        the local address RTP sockets bind to
 * @param advertisedAddress  the address put in SDP {@code c=} lines (differs from bind behind NAT)
 * @param portMin            the lowest RTP port (rounded up to even)
 * @param portMax            the highest port usable (RTCP of the last pair included)
 * @param ptimeMillis        the packet time we ask peers for and use when the peer states none
 * @param mediaTimeout       silence on an active leg after which {@link MediaEvent.MediaTimeout} fires
 * @param rtcpInterval       the mean RTCP report interval (randomised ±50% per RFC 3550 6.2)
 * @param inbandDtmf         run the in-band DTMF detector on received audio
 * @param telephoneEventPt   the dynamic payload type we offer for telephone-event
 * @param recordingThreads   threads of the shared background recording writer
 * @param eventLoopThreads   event loop threads when the engine creates its own group (0 = cores)
 * @param webrtcCodecs       codecs a WebRTC leg may answer with, ours first ({@code opus}, {@code PCMU}, {@code PCMA})
 * @param webrtcSendOpus     on a leg answered with Opus, send Opus too; false (the default) sends the PCMU the
 *                           offer also lists, so the switch decodes the tablet's Opus but never encodes it
 */
public record MediaConfig(String bindAddress, String advertisedAddress, int portMin, int portMax, int ptimeMillis,
        Duration mediaTimeout, Duration rtcpInterval, boolean inbandDtmf, int telephoneEventPt, int recordingThreads,
        int eventLoopThreads, java.util.List<String> webrtcCodecs, boolean webrtcSendOpus) {

    /** What {@link #webrtcCodecs} may name. */
    public static final java.util.List<String> WEBRTC_CODECS = java.util.List.of("opus", "PCMU", "PCMA");

    public MediaConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        Objects.requireNonNull(rtcpInterval, "rtcpInterval");
        if (portMin < 1024 || portMax > 65535 || portMax < portMin + 1) {
            throw new IllegalArgumentException("bad port range " + portMin + "-" + portMax);
        }
        if (ptimeMillis < 10 || ptimeMillis > 60 || ptimeMillis % 10 != 0) {
            throw new IllegalArgumentException("ptime must be 10..60 ms in steps of 10: " + ptimeMillis);
        }
        if (telephoneEventPt < 96 || telephoneEventPt > 127) {
            throw new IllegalArgumentException("telephone-event payload type must be dynamic (96-127)");
        }
        if (recordingThreads < 1) {
            throw new IllegalArgumentException("recordingThreads must be >= 1");
        }
        if (eventLoopThreads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 0");
        }
        Objects.requireNonNull(webrtcCodecs, "webrtcCodecs");
        java.util.List<String> canonical = new java.util.ArrayList<>();
        for (String c : webrtcCodecs) {
            String known = WEBRTC_CODECS.stream().filter(k -> k.equalsIgnoreCase(String.valueOf(c).strip()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "media.webrtcCodecs: " + c + " is not one of " + WEBRTC_CODECS));
            if (!canonical.contains(known)) {
                canonical.add(known);
            }
        }
        if (canonical.isEmpty()) {
            throw new IllegalArgumentException("media.webrtcCodecs must name at least one codec");
        }
        webrtcCodecs = java.util.List.copyOf(canonical);
    }

    public static MediaConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().bindAddress(bindAddress).advertisedAddress(advertisedAddress).portRange(portMin, portMax)
                .ptimeMillis(ptimeMillis).mediaTimeout(mediaTimeout).rtcpInterval(rtcpInterval).inbandDtmf(inbandDtmf)
                .telephoneEventPt(telephoneEventPt).recordingThreads(recordingThreads)
                .eventLoopThreads(eventLoopThreads).webrtcCodecs(webrtcCodecs)
                .webrtcSendOpus(webrtcSendOpus);
    }

    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private String advertisedAddress;
        private int portMin = 20000;
        private int portMax = 29999;
        private int ptimeMillis = 20;
        private Duration mediaTimeout = Duration.ofSeconds(30);
        private Duration rtcpInterval = Duration.ofSeconds(5);
        private boolean inbandDtmf = true;
        private int telephoneEventPt = 101;
        private int recordingThreads = 2;
        private int eventLoopThreads = 0;
        private java.util.List<String> webrtcCodecs = WEBRTC_CODECS;
        private boolean webrtcSendOpus;

        private Builder() {
        }

        public Builder bindAddress(String a) {
            this.bindAddress = a;
            return this;
        }

        /** Defaults to the bind address (or 127.0.0.1 when binding the wildcard). */
        public Builder advertisedAddress(String a) {
            this.advertisedAddress = a;
            return this;
        }

        public Builder portRange(int min, int max) {
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        public Builder ptimeMillis(int p) {
            this.ptimeMillis = p;
            return this;
        }

        public Builder mediaTimeout(Duration d) {
            this.mediaTimeout = d;
            return this;
        }

        public Builder rtcpInterval(Duration d) {
            this.rtcpInterval = d;
            return this;
        }

        public Builder inbandDtmf(boolean on) {
            this.inbandDtmf = on;
            return this;
        }

        public Builder telephoneEventPt(int pt) {
            this.telephoneEventPt = pt;
            return this;
        }

        public Builder recordingThreads(int n) {
            this.recordingThreads = n;
            return this;
        }

        public Builder eventLoopThreads(int n) {
            this.eventLoopThreads = n;
            return this;
        }

        public Builder webrtcCodecs(java.util.List<String> codecs) {
            this.webrtcCodecs = codecs;
            return this;
        }

        public Builder webrtcSendOpus(boolean on) {
            this.webrtcSendOpus = on;
            return this;
        }

        public MediaConfig build() {
            String adv = advertisedAddress;
            if (adv == null) {
                adv = "0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress;
            }
            return new MediaConfig(bindAddress, adv, portMin, portMax, ptimeMillis, mediaTimeout, rtcpInterval,
                    inbandDtmf, telephoneEventPt, recordingThreads, eventLoopThreads, webrtcCodecs,
                    webrtcSendOpus);
        }
    }
}
