package io.kinline.tests.rtp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough SDP (RFC 4566) for a G.711 audio peer: builds offers/answers as strings and reads
 * the first audio m-line of a remote description. Not a general parser, on purpose.
 */
public record Sdp(String address, int port, List<Integer> formats, Map<Integer, String> rtpmap, String direction) {

    public static Sdp parse(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("empty SDP");
        }
        String sessionAddr = null;
        String mediaAddr = null;
        int port = -1;
        List<Integer> formats = new ArrayList<>();
        Map<Integer, String> rtpmap = new LinkedHashMap<>();
        String direction = "sendrecv";
        boolean inAudio = false;
        boolean seenAudio = false;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                inAudio = !seenAudio && line.startsWith("m=audio ");
                if (inAudio) {
                    seenAudio = true;
                    String[] p = line.substring(2).split("\\s+");
                    port = Integer.parseInt(p[1].split("/")[0]);
                    for (int i = 3; i < p.length; i++) {
                        formats.add(Integer.parseInt(p[i]));
                    }
                }
            } else if (line.startsWith("c=")) {
                String[] p = line.substring(2).split("\\s+");
                String addr = p[p.length - 1].split("/")[0];
                if (inAudio) {
                    mediaAddr = addr;
                } else if (!seenAudio) {
                    sessionAddr = addr;
                }
            } else if (inAudio && line.startsWith("a=rtpmap:")) {
                String[] p = line.substring(9).split("\\s+", 2);
                rtpmap.put(Integer.parseInt(p[0]), p.length > 1 ? p[1] : "");
            } else if (inAudio && (line.equals("a=sendrecv") || line.equals("a=sendonly")
                    || line.equals("a=recvonly") || line.equals("a=inactive"))) {
                direction = line.substring(2);
            }
        }
        if (!seenAudio) {
            throw new IllegalArgumentException("no audio m-line in SDP");
        }
        for (int f : formats) {
            if (f == 0) {
                rtpmap.putIfAbsent(0, "PCMU/8000");
            } else if (f == 8) {
                rtpmap.putIfAbsent(8, "PCMA/8000");
            }
        }
        return new Sdp(mediaAddr != null ? mediaAddr : sessionAddr, port, List.copyOf(formats),
                Map.copyOf(rtpmap), direction);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** The payload type whose rtpmap encoding name is {@code name} (case-insensitive), or -1. */
    public int payloadType(String name) {
        for (int f : formats) {
            String map = rtpmap.get(f);
            if (map != null && map.toLowerCase().startsWith(name.toLowerCase() + "/")) {
                return f;
            }
        }
        return -1;
    }

    /** Builds a description with one audio m-line; {@code telephoneEvent} < 0 leaves it out. */
    public static String build(String address, int port, List<Integer> audioPts, int telephoneEvent,
                               String direction, long sessionVersion) {
        StringBuilder s = new StringBuilder();
        s.append("v=0\r\n");
        s.append("o=kinline-test ").append(sessionVersion == 0 ? 1 : sessionVersion).append(' ')
                .append(sessionVersion).append(" IN IP4 ").append(address).append("\r\n");
        s.append("s=-\r\n");
        s.append("c=IN IP4 ").append(address).append("\r\n");
        s.append("t=0 0\r\n");
        s.append("m=audio ").append(port).append(" RTP/AVP");
        for (int pt : audioPts) {
            s.append(' ').append(pt);
        }
        if (telephoneEvent >= 0) {
            s.append(' ').append(telephoneEvent);
        }
        s.append("\r\n");
        for (int pt : audioPts) {
            s.append("a=rtpmap:").append(pt).append(pt == 8 ? " PCMA/8000" : " PCMU/8000").append("\r\n");
        }
        if (telephoneEvent >= 0) {
            s.append("a=rtpmap:").append(telephoneEvent).append(" telephone-event/8000\r\n");
            s.append("a=fmtp:").append(telephoneEvent).append(" 0-16\r\n");
        }
        s.append("a=ptime:20\r\n");
        s.append("a=").append(direction).append("\r\n");
        return s.toString();
    }
}
