package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.pcap.DtmfPcapWriter;
import io.kinline.tests.pcap.DtmfPcapWriter.Mode;
import io.kinline.tests.rtp.G711Codec;
import io.kinline.tests.rtp.Goertzel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtmfPcapWriterTest {

    /** A pcap record reduced to what we check: capture time and the RTP bytes. */
    record Rec(long micros, int srcPort, int dstPort, byte[] rtp) {
        int pt() { return rtp[1] & 0x7F; }
        boolean marker() { return (rtp[1] & 0x80) != 0; }
        int seq() { return ((rtp[2] & 0xFF) << 8) | (rtp[3] & 0xFF); }
        long ts() { return ByteBuffer.wrap(rtp, 4, 4).getInt() & 0xFFFFFFFFL; }
        int event() { return rtp[12] & 0xFF; }
        boolean end() { return (rtp[13] & 0x80) != 0; }
        int duration() { return ((rtp[14] & 0xFF) << 8) | (rtp[15] & 0xFF); }
    }

    /** Tiny libpcap reader: Ethernet / IPv4 / UDP, checks the IPv4 header checksum. */
    static List<Rec> read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        b.position(20);
        assertEquals(1, b.getInt(), "linktype Ethernet");
        List<Rec> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            long usec = b.getInt() & 0xFFFFFFFFL;
            int incl = b.getInt();
            int orig = b.getInt();
            assertEquals(incl, orig);
            byte[] frame = new byte[incl];
            b.get(frame);
            ByteBuffer f = ByteBuffer.wrap(frame); // network order
            assertEquals(0x0800, f.getShort(12) & 0xFFFF);
            assertEquals(0x45, frame[14] & 0xFF);
            assertEquals(17, frame[23]);
            int sum = 0;
            for (int i = 14; i < 34; i += 2) {
                sum += f.getShort(i) & 0xFFFF;
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }
            assertEquals(0xFFFF, sum, "IPv4 header checksum");
            assertEquals(incl - 14, f.getShort(16) & 0xFFFF, "IP total length");
            int udpLen = f.getShort(38) & 0xFFFF;
            assertEquals(incl - 34, udpLen);
            byte[] rtp = new byte[udpLen - 8];
            System.arraycopy(frame, 42, rtp, 0, rtp.length);
            assertEquals(0x80, rtp[0] & 0xC0);
            out.add(new Rec(sec * 1_000_000 + usec, f.getShort(34) & 0xFFFF, f.getShort(36) & 0xFFFF, rtp));
        }
        return out;
    }

    @Test
    void eachDigitIsItsOwnEventWithProperPackets() {
        List<Rec> recs = read(DtmfPcapWriter.digits("1234#").mode(Mode.RFC4733).digitMs(120).gapMs(80).toPcap());
        Map<Long, List<Rec>> byTs = new LinkedHashMap<>();
        for (Rec r : recs) {
            assertEquals(101, r.pt());
            byTs.computeIfAbsent(r.ts(), k -> new ArrayList<>()).add(r);
        }
        assertEquals(5, byTs.size(), "five events, five timestamps");
        String keys = "0123456789*#";
        StringBuilder digits = new StringBuilder();
        long prevEnd = -1;
        long prevTs = -1;
        for (List<Rec> ev : byTs.values()) {
            digits.append(keys.charAt(ev.get(0).event()));
            assertTrue(ev.get(0).marker(), "start packet has the marker");
            assertEquals(160, ev.get(0).duration());
            assertEquals(8, ev.size(), "6 updates (last one ends) + 2 more end packets");
            for (int i = 1; i < ev.size(); i++) {
                assertTrue(!ev.get(i).marker());
                assertEquals(ev.get(i - 1).seq() + 1, ev.get(i).seq(), "sequence numbers advance");
                assertEquals(20_000, ev.get(i).micros() - ev.get(i - 1).micros(), "20 ms pacing");
                assertTrue(ev.get(i).duration() >= ev.get(i - 1).duration());
            }
            assertEquals(3, ev.stream().filter(Rec::end).count(), "three end packets");
            assertEquals(960, ev.get(ev.size() - 1).duration(), "120 ms");
            if (prevEnd >= 0) {
                long gapMs = (ev.get(0).micros() - prevEnd) / 1000;
                assertTrue(gapMs >= 60 && gapMs <= 120, "gap " + gapMs);
                assertTrue(ev.get(0).ts() - prevTs >= 960 + 2 * 160, "timestamp advances with time");
            }
            prevEnd = ev.get(ev.size() - 1).micros();
            prevTs = ev.get(0).ts();
        }
        assertEquals("1234#", digits.toString());
    }

    @Test
    void audioVariantIsAContinuousStream() {
        List<Rec> recs = read(DtmfPcapWriter.digits("99").mode(Mode.RFC4733_WITH_AUDIO).toPcap());
        for (int i = 1; i < recs.size(); i++) {
            assertEquals((recs.get(i - 1).seq() + 1) & 0xFFFF, recs.get(i).seq());
            assertEquals(20_000, recs.get(i).micros() - recs.get(i - 1).micros());
        }
        long audio = recs.stream().filter(r -> r.pt() == 0).count();
        long events = recs.stream().filter(r -> r.pt() == 101).map(Rec::ts).distinct().count();
        assertEquals(2, events);
        assertTrue(audio >= 5 + 4 + 5, "lead, gap and tail silence: " + audio);
        recs.stream().filter(r -> r.pt() == 0).forEach(r -> {
            assertEquals(12 + 160, r.rtp().length);
            assertEquals((byte) 0xFF, r.rtp()[12]);
        });
        // audio timestamps step 160 per 20 ms
        List<Rec> a = recs.stream().filter(r -> r.pt() == 0).toList();
        for (int i = 1; i < a.size(); i++) {
            long dt = (a.get(i).micros() - a.get(i - 1).micros()) / 20_000 * 160;
            assertEquals(dt, a.get(i).ts() - a.get(i - 1).ts());
        }
    }

    @Test
    void inbandVariantCarriesDetectableTones() {
        List<Rec> recs = read(DtmfPcapWriter.digits("1234#").mode(Mode.INBAND).toPcap());
        assertTrue(recs.stream().allMatch(r -> r.pt() == 0));
        short[] pcm = new short[recs.size() * 160];
        for (int i = 0; i < recs.size(); i++) {
            short[] f = G711Codec.decode(0, recs.get(i).rtp(), 12, 160);
            System.arraycopy(f, 0, pcm, i * 160, 160);
        }
        assertEquals("1234#", Goertzel.detectDigits(pcm, 8000));
    }

    @Test
    void committedPcapsHoldTheirDigits() throws IOException {
        Map<String, String> files = Map.of("dtmf-1234h.pcap", "1234#", "dtmf-5678h.pcap", "5678#",
                "dtmf-0000h.pcap", "0000#", "dtmf-1.pcap", "1", "dtmf-2.pcap", "2", "dtmf-5.pcap", "5",
                "dtmf-9.pcap", "9", "dtmf-99.pcap", "99");
        for (Map.Entry<String, String> e : files.entrySet()) {
            for (String name : List.of(e.getKey(), e.getKey().replace(".pcap", "-audio.pcap"))) {
                List<Rec> recs = read(Files.readAllBytes(Path.of("pcap", name)));
                StringBuilder d = new StringBuilder();
                recs.stream().filter(r -> r.pt() == 101).map(r -> r.ts() + ":" + r.event()).distinct()
                        .forEach(s -> d.append("0123456789*#".charAt(Integer.parseInt(s.split(":")[1]))));
                assertEquals(e.getValue(), d.toString(), name);
            }
        }
    }

    @Test
    void toneAudioFilesForRtpStream(@TempDir Path dir) throws IOException {
        DtmfPcapWriter.writeToneAudio("1234#", dir.resolve("t.ulaw"), 120, 80, 200);
        byte[] raw = Files.readAllBytes(dir.resolve("t.ulaw"));
        assertEquals((200 + 5 * 200) * 8, raw.length);
        assertEquals("1234#", Goertzel.detectDigits(G711Codec.decode(0, raw, 0, raw.length), 8000));
        DtmfPcapWriter.writeToneAudio("1234#", dir.resolve("t.wav"), 120, 80, 200);
        short[] pcm = io.kinline.tests.rtp.AudioSource.readWav(dir.resolve("t.wav"));
        assertEquals(raw.length, pcm.length);
        assertEquals("1234#", Goertzel.detectDigits(pcm, 8000));
    }
}
