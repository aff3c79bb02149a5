package io.kinline.tests.pcap;

import io.kinline.tests.rtp.AudioSource;
import io.kinline.tests.rtp.G711Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes libpcap files (Ethernet / IPv4 / UDP / RTP) holding a DTMF digit string, for SIPp's
 * {@code play_pcap_audio}, which replays the RTP headers and payloads as captured at the captured
 * pace (it supplies its own addresses and ports). Unlike the single-event pcaps shipped with SIPp,
 * every digit here is its own RFC 4733 event with its own RTP timestamp, so a correct receiver
 * reports each one.
 *
 * <p>Per digit (RFC 4733 §2.5): a start packet with the marker bit and duration 160, an update
 * every 20 ms with the duration so far, then three end packets (E bit) with the final duration and
 * new sequence numbers. Modes: {@link Mode#RFC4733} sends only event packets (time still passes
 * between digits); {@link Mode#RFC4733_WITH_AUDIO} keeps a continuous 20 ms stream with G.711
 * silence around the events (audio suppressed during an event); {@link Mode#INBAND} sends the DTMF
 * as dual tones in G.711.
 *
 * <p>Command line: {@code DtmfPcapWriter <digits> <out.pcap> [--mode rfc4733|audio|inband]
 * [--digit-ms N] [--gap-ms N] [--lead-ms N] [--tail-ms N] [--pt N] [--audio-pt 0|8]}
 * or {@code DtmfPcapWriter --wav <digits> <out.wav|out.ulaw> [--digit-ms N] [--gap-ms N]}.
 */
public final class DtmfPcapWriter {

    public enum Mode { RFC4733, RFC4733_WITH_AUDIO, INBAND }

    private static final int FRAME = 160;
    private static final String KEYS = "0123456789*#ABCD";

    private String digits = "1";
    private Mode mode = Mode.RFC4733;
    private int digitMs = 120;
    private int gapMs = 80;
    private int leadMs = 100;
    private int tailMs = 100;
    private int eventPt = 101;
    private int audioPt = G711Codec.PCMU;
    private long ssrc = 0x4B494E4CL; // "KINL"
    private int startSeq = 1000;
    private long startTs = 8000;
    private int volume = 10;
    private double fillToneHz;
    private int srcPort = 6000;
    private int dstPort = 6002;

    public static DtmfPcapWriter digits(String digits) {
        DtmfPcapWriter w = new DtmfPcapWriter();
        for (char c : digits.toCharArray()) {
            if (KEYS.indexOf(Character.toUpperCase(c)) < 0) {
                throw new IllegalArgumentException("not a DTMF key: " + c);
            }
        }
        w.digits = digits.toUpperCase();
        return w;
    }

    public DtmfPcapWriter mode(Mode m) { this.mode = m; return this; }
    /** Event (or tone) length per digit, rounded to 20 ms (minimum 40). */
    public DtmfPcapWriter digitMs(int ms) { this.digitMs = Math.max(40, ms / 20 * 20); return this; }
    /** Pause between digits, rounded to 20 ms. */
    public DtmfPcapWriter gapMs(int ms) { this.gapMs = Math.max(0, ms / 20 * 20); return this; }
    public DtmfPcapWriter leadMs(int ms) { this.leadMs = Math.max(0, ms / 20 * 20); return this; }
    public DtmfPcapWriter tailMs(int ms) { this.tailMs = Math.max(0, ms / 20 * 20); return this; }
    public DtmfPcapWriter eventPayloadType(int pt) { this.eventPt = pt; return this; }
    public DtmfPcapWriter audioPayloadType(int pt) { this.audioPt = pt; return this; }
    /** Audio frames outside the digits carry a sine of this frequency instead of silence (0 = silence). */
    public DtmfPcapWriter fillTone(double hz) { this.fillToneHz = hz; return this; }
    /** Audio only: {@code ms} of fill (silence or {@link #fillTone}) with no digits. */
    public static DtmfPcapWriter audioOnly(int ms) {
        DtmfPcapWriter w = new DtmfPcapWriter();
        w.digits = "";
        w.mode = Mode.RFC4733_WITH_AUDIO;
        w.leadMs = ms / 20 * 20;
        w.tailMs = 0;
        return w;
    }
    public DtmfPcapWriter ssrc(long s) { this.ssrc = s; return this; }
    public DtmfPcapWriter startSequence(int s) { this.startSeq = s & 0xFFFF; return this; }
    public DtmfPcapWriter startTimestamp(long t) { this.startTs = t & 0xFFFFFFFFL; return this; }

    /** One RTP packet of the stream, with its send time in microseconds from the start. */
    public record Packet(long timeMicros, byte[] rtp) {
    }

    /** The RTP packets, in send order. */
    public List<Packet> packets() {
        List<Packet> out = new ArrayList<>();
        int seq = startSeq;
        long ts = startTs;
        long tick = 0; // 20 ms ticks since start
        boolean audio = mode != Mode.RFC4733;
        byte[] silenceFrame = new byte[FRAME];
        java.util.Arrays.fill(silenceFrame, G711Codec.silence(audioPt));
        AudioSource fill = fillToneHz > 0 ? AudioSource.tone(fillToneHz, 8000) : null;
        short[] fillPcm = new short[FRAME];
        java.util.function.Supplier<byte[]> filler = () -> {
            if (fill == null) {
                return silenceFrame;
            }
            fill.next(fillPcm);
            return G711Codec.encode(audioPt, fillPcm, 0, FRAME);
        };
        // lead
        for (int i = 0; i < leadMs / 20; i++, tick++, ts += FRAME) {
            if (audio) {
                out.add(new Packet(tick * 20_000, rtp(audioPt, false, seq++, ts, filler.get())));
            }
        }
        for (int d = 0; d < digits.length(); d++) {
            char key = digits.charAt(d);
            int ticks = digitMs / 20;
            if (mode == Mode.INBAND) {
                short[] pcm = AudioSource.dtmfTones(String.valueOf(key), digitMs, 0, 7000);
                for (int i = 0; i < ticks; i++, tick++, ts += FRAME) {
                    out.add(new Packet(tick * 20_000,
                            rtp(audioPt, false, seq++, ts, G711Codec.encode(audioPt, pcm, i * FRAME, FRAME))));
                }
            } else {
                int event = KEYS.indexOf(key);
                long eventTs = ts;
                for (int i = 0; i < ticks + 2; i++, tick++, ts += FRAME) {
                    boolean end = i >= ticks - 1;
                    int duration = Math.min(ticks, i + 1) * FRAME;
                    byte[] payload = {(byte) event, (byte) ((end ? 0x80 : 0) | volume),
                            (byte) (duration >>> 8), (byte) duration};
                    out.add(new Packet(tick * 20_000, rtp(eventPt, i == 0, seq++, eventTs, payload)));
                }
            }
            int gapTicks = d < digits.length() - 1 ? gapMs / 20 : tailMs / 20;
            for (int i = 0; i < gapTicks; i++, tick++, ts += FRAME) {
                if (audio) {
                    out.add(new Packet(tick * 20_000, rtp(audioPt, false, seq++, ts, filler.get())));
                }
            }
        }
        return out;
    }

    private byte[] rtp(int pt, boolean marker, int seq, long ts, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq).putInt((int) ts)
                .putInt((int) ssrc).put(payload);
        return b.array();
    }

    /** The pcap file bytes. */
    public byte[] toPcap() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        gh.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(gh.array());
        long base = 1_700_000_000L * 1_000_000L; // fixed epoch: reproducible files
        int ipId = 1;
        for (Packet p : packets()) {
            byte[] frame = ethernetIpUdp(p.rtp(), ipId++);
            long t = base + p.timeMicros();
            ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rh.putInt((int) (t / 1_000_000)).putInt((int) (t % 1_000_000)).putInt(frame.length).putInt(frame.length);
            out.writeBytes(rh.array());
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    public void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, toPcap());
    }

    private byte[] ethernetIpUdp(byte[] rtp, int ipId) {
        int udpLen = 8 + rtp.length;
        int ipLen = 20 + udpLen;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLen); // big-endian network order
        b.put(new byte[] {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) 0xB8).putShort((short) ipLen).putShort((short) ipId).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((b.get(ipStart + i) & 0xFF) << 8) | (b.get(ipStart + i + 1) & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        b.putShort(ipStart + 10, (short) ~sum);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udpLen).putShort((short) 0);
        b.put(rtp);
        return b.array();
    }

    /**
     * Writes DTMF tones as audio: ".wav" gives an 8 kHz μ-law WAV, any other name headerless μ-law
     * (what SIPp 3.6's {@code rtp_stream} plays with payload type 0: it streams the file's bytes).
     */
    public static void writeToneAudio(String digits, Path file, int toneMs, int gapMs, int leadMs) throws IOException {
        short[] tones = AudioSource.dtmfTones(digits, toneMs, gapMs, 7000);
        short[] pcm = new short[leadMs * 8 + tones.length];
        System.arraycopy(tones, 0, pcm, leadMs * 8, tones.length);
        byte[] ulaw = G711Codec.encode(G711Codec.PCMU, pcm, 0, pcm.length);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!file.getFileName().toString().toLowerCase().endsWith(".wav")) {
            Files.write(file, ulaw);
            return;
        }
        ByteBuffer h = ByteBuffer.allocate(58).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x46464952).putInt(50 + ulaw.length).putInt(0x45564157);
        h.putInt(0x20746d66).putInt(18).putShort((short) 7).putShort((short) 1).putInt(8000).putInt(8000)
                .putShort((short) 1).putShort((short) 8).putShort((short) 0);
        h.putInt(0x74636166).putInt(4).putInt(pcm.length); // "fact"
        h.putInt(0x61746164).putInt(ulaw.length);
        byte[] out = new byte[h.capacity() + ulaw.length];
        System.arraycopy(h.array(), 0, out, 0, h.capacity());
        System.arraycopy(ulaw, 0, out, h.capacity(), ulaw.length);
        Files.write(file, out);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DtmfPcapWriter <digits> <out.pcap> [--mode rfc4733|audio|inband] "
                    + "[--digit-ms N] [--gap-ms N] [--lead-ms N] [--tail-ms N] [--pt N] [--audio-pt 0|8]\n"
                    + "       DtmfPcapWriter --wav <digits> <out.wav|out.ulaw> [--digit-ms N] [--gap-ms N] [--lead-ms N]");
            System.exit(2);
        }
        boolean wav = args[0].equals("--wav");
        int i = wav ? 1 : 0;
        String digits = args[i];
        Path out = Path.of(args[i + 1]);
        DtmfPcapWriter w = digits(digits);
        int digitMs = 120;
        int gapMs = 80;
        int leadMs = wav ? 200 : 100;
        for (int a = i + 2; a + 1 < args.length; a += 2) {
            String v = args[a + 1];
            switch (args[a]) {
                case "--mode" -> w.mode(switch (v) {
                    case "rfc4733" -> Mode.RFC4733;
                    case "audio" -> Mode.RFC4733_WITH_AUDIO;
                    case "inband" -> Mode.INBAND;
                    default -> throw new IllegalArgumentException("mode: " + v);
                });
                case "--digit-ms" -> digitMs = Integer.parseInt(v);
                case "--gap-ms" -> gapMs = Integer.parseInt(v);
                case "--lead-ms" -> leadMs = Integer.parseInt(v);
                case "--tail-ms" -> w.tailMs(Integer.parseInt(v));
                case "--pt" -> w.eventPayloadType(Integer.parseInt(v));
                case "--audio-pt" -> w.audioPayloadType(Integer.parseInt(v));
                case "--fill-tone" -> w.fillTone(Double.parseDouble(v));
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        if (wav) {
            writeToneAudio(digits, out, digitMs, gapMs, leadMs);
        } else {
            w.digitMs(digitMs).gapMs(gapMs).leadMs(leadMs).write(out);
        }
        System.out.println("wrote " + out);
    }
}
