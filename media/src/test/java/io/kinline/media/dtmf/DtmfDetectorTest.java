package io.kinline.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ITU-T Q.24 receiver grid, for every one of the 16 digits, plus talk-off on recorded speech.
 * Each case is a tone between stretches of silence (so a detection cannot come from a neighbour).
 */
class DtmfDetectorTest {

    private static final char[] ALL = Signals.KEYS.toCharArray();

    private static String detect(long seed, char d, double lowFactor, double highFactor,
            double lowDbm0, double highDbm0, double ms) {
        return Collector.digits(new Signals(seed).silence(50).tone(d, lowFactor, highFactor, lowDbm0, highDbm0, ms)
                .silence(80).build());
    }

    @Test
    void everyDigitAtNominalFrequencies() {
        Signals s = new Signals(1).silence(30);
        for (char d : ALL) {
            s.tone(d, 50).silence(50);
        }
        assertEquals(Signals.KEYS, Collector.digits(s.build()));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.015, -0.015, 0.01, -0.01})
    void frequencyOffsetWithinOnePointFivePercentAccepted(double offset) {
        for (char d : ALL) {
            String digit = String.valueOf(d);
            assertEquals(digit, detect(2, d, 1 + offset, 1 + offset, -10, -10, 60), d + " both tones " + offset);
            assertEquals(digit, detect(3, d, 1 + offset, 1, -10, -10, 60), d + " low tone " + offset);
            assertEquals(digit, detect(4, d, 1, 1 + offset, -10, -10, 60), d + " high tone " + offset);
            assertEquals(digit, detect(5, d, 1 + offset, 1 - offset, -10, -10, 60), d + " opposite " + offset);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.035, -0.035, 0.05, -0.05})
    void frequencyOffsetBeyondThreePointFivePercentRejected(double offset) {
        for (char d : ALL) {
            assertEquals("", detect(2, d, 1 + offset, 1 + offset, -10, -10, 60), d + " both tones " + offset);
            assertEquals("", detect(3, d, 1 + offset, 1, -10, -10, 60), d + " low tone " + offset);
            assertEquals("", detect(4, d, 1, 1 + offset, -10, -10, 60), d + " high tone " + offset);
        }
    }

    @Test
    void twistWithinLimitsAccepted() {
        for (char d : ALL) {
            String digit = String.valueOf(d);
            // Normal twist: high group 8 dB weaker than the low group.
            assertEquals(digit, detect(6, d, 1, 1, -6, -14, 60), d + " normal twist 8 dB");
            assertEquals(digit, detect(7, d, 1, 1, -20, -28, 60), d + " normal twist 8 dB, quiet");
            // Reverse twist: high group 4 dB stronger.
            assertEquals(digit, detect(8, d, 1, 1, -14, -10, 60), d + " reverse twist 4 dB");
            assertEquals(digit, detect(9, d, 1, 1, -28, -24, 60), d + " reverse twist 4 dB, quiet");
        }
    }

    @Test
    void twistBeyondLimitsRejected() {
        for (char d : ALL) {
            assertEquals("", detect(6, d, 1, 1, -6, -16, 60), d + " normal twist 10 dB");
            assertEquals("", detect(7, d, 1, 1, -14, -8, 60), d + " reverse twist 6 dB");
        }
    }

    @Test
    void fortyMillisecondsAcceptedAtEveryAlignment() {
        for (char d : ALL) {
            for (int lead = 0; lead < 40; lead += 3) { // every phase against the 5 ms analysis hop
                String got = Collector.digits(new Signals(lead).silence(50 + lead / 8.0).tone(d, 40).silence(80).build());
                assertEquals(String.valueOf(d), got, d + " 40 ms, lead " + lead);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {10, 20, 25})
    void shortTonesRejected(double ms) {
        for (char d : ALL) {
            for (int lead = 0; lead < 40; lead += 3) {
                String got = Collector.digits(new Signals(lead).silence(50 + lead / 8.0).tone(d, ms).silence(80).build());
                assertEquals("", got, d + " " + ms + " ms, lead " + lead);
            }
        }
    }

    @Test
    void fortyMillisecondPauseSeparatesDigits() {
        for (char d : ALL) {
            String two = "" + d + d;
            assertEquals(two, Collector.digits(new Signals(11).silence(50).tone(d, 40).silence(40).tone(d, 40).silence(80).build()),
                    d + " 40/40/40");
            assertEquals(two, Collector.digits(new Signals(12).silence(50).tone(d, 60).silence(40).tone(d, 60).silence(80)
                    .noise(-37).build()), d + " with noise");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {5, 10, 15, 20})
    void shortBreakInsideToneDoesNotSplitIt(double ms) {
        for (char d : ALL) {
            assertEquals(String.valueOf(d),
                    Collector.digits(new Signals(13).silence(50).tone(d, 60).silence(ms).tone(d, 60).silence(80).build()),
                    d + " break " + ms + " ms");
        }
    }

    @Test
    void differentDigitsAfterPause() {
        String seq = "0123456789*#ABCD9876543210";
        Signals s = new Signals(14).silence(20);
        for (char d : seq.toCharArray()) {
            s.tone(d, 45).silence(45);
        }
        assertEquals(seq, Collector.digits(s.build()));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3, -10, -20, -30, -36})
    void levelsAccepted(double dbm0) {
        for (char d : ALL) {
            assertEquals(String.valueOf(d), detect(15, d, 1, 1, dbm0, dbm0, 60), d + " at " + dbm0 + " dBm0");
        }
    }

    @Test
    void tooQuietRejected() {
        for (char d : ALL) {
            assertEquals("", detect(16, d, 1, 1, -45, -45, 60), d + " at -45 dBm0");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {20, 15, 12, 10})
    void detectedInWhiteNoise(double snrDb) {
        // Two tones at -20 dBm0 each: signal power -17 dBm0; noise over the whole 0-4 kHz band.
        Signals s = new Signals(17).silence(40);
        for (char d : ALL) {
            s.tone(d, 1, 1, -20, -20, 50).silence(50);
        }
        assertEquals(Signals.KEYS, Collector.digits(s.noise(-17 - snrDb).build()), "SNR " + snrDb + " dB");
    }

    @Test
    void noiseAloneGivesNothing() {
        assertEquals("", Collector.digits(new Signals(18).silence(10_000).noise(-10).build()));
    }

    @Test
    void reportsStartAndEndSamples() {
        short[] pcm = new Signals(19).silence(100).tone('7', 80).silence(100).tone('#', 120).silence(100).build();
        List<Collector.Hit> hits = Collector.run(pcm, 160).hits;
        assertEquals(2, hits.size());
        assertNear(800, hits.get(0).start());
        assertNear(800 + 640, hits.get(0).end());
        assertNear(800 + 640 + 800, hits.get(1).start());
        assertNear(800 + 640 + 800 + 960, hits.get(1).end());
    }

    private static void assertNear(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= 40, "expected about " + expected + " (±5 ms), got " + actual);
    }

    @Test
    void sampleCounterContinuousAcrossCalls() {
        Signals s = new Signals(20).silence(33);
        for (char d : "159#".toCharArray()) {
            s.tone(d, 70).silence(70);
        }
        short[] pcm = s.build();
        List<Collector.Hit> whole = Collector.run(pcm, pcm.length).hits;
        for (int chunk : new int[] {1, 7, 80, 160, 333}) {
            assertEquals(whole, Collector.run(pcm, chunk).hits, "chunk " + chunk);
        }
        assertEquals("159#", Collector.run(pcm, 160).digits());
    }

    @Test
    void toneAtEndOfInputReportedByFlush() {
        short[] pcm = new Signals(26).silence(50).tone('C', 70).silence(10).build();
        List<Collector.Hit> hits = Collector.run(pcm, 160).hits;
        assertEquals(1, hits.size());
        assertEquals('C', hits.get(0).digit());
        assertNear(400 + 560, hits.get(0).end());
        Collector none = new Collector();
        DtmfDetector d = new DtmfDetector(none);
        d.process(pcm, 0, pcm.length);
        assertEquals(List.of(), none.hits, "not yet reported without flush: the tone might go on");
    }

    @Test
    void longToneReportedOnce() {
        assertEquals("8", Collector.digits(new Signals(21).silence(50).tone('8', 3000).silence(100).build()));
    }

    // ------------------------------------------------------------------ talk-off

    static short[] speech(String name) throws IOException {
        try (InputStream in = DtmfDetectorTest.class.getResourceAsStream("/speech/" + name)) {
            return WavReader.read(in, name).channel(0);
        }
    }

    static final String[] CLIPS = {"en-us-male.wav", "en-us-female.wav", "es-male.wav", "es-female.wav",
        "held-vowels-male-high.wav", "held-vowels-female-high.wav"};

    @Test
    void noDigitsInSpeech() throws IOException {
        for (String clip : CLIPS) {
            short[] pcm = speech(clip);
            for (double gainDb : new double[] {0, -10, -20}) {
                short[] scaled = scale(pcm, gainDb);
                assertEquals(List.of(), Collector.run(scaled, 160).hits, clip + " at " + gainDb + " dB");
            }
        }
    }

    @Test
    void noDigitsInSpeechOverMusicLikeTones() throws IOException {
        // Speech over sustained chords whose notes are not DTMF pairs (A major: 440/554/659 Hz plus
        // octaves), the kind of hold music that leaks into a call.
        Signals music = new Signals(22);
        double[][] chords = {{440, 554.4}, {659.3, 880}, {523.3, 1046.5}, {392, 1174.7}, {587.3, 1318.5}};
        for (int i = 0; i < 36; i++) {
            double[] c = chords[i % chords.length];
            music.dual(c[0], c[1], -20, -24, 500);
        }
        short[] m = music.build();
        for (String clip : CLIPS) {
            short[] pcm = speech(clip);
            short[] mixed = new short[pcm.length];
            for (int i = 0; i < pcm.length; i++) {
                mixed[i] = Signals.clip(pcm[i] * 0.7 + (i < m.length ? m[i] : 0));
            }
            assertEquals(List.of(), Collector.run(mixed, 160).hits, clip + " with music");
        }
    }

    @Test
    void digitsStillFoundBetweenSpeech() throws IOException {
        short[] pcm = speech("en-us-male.wav");
        Signals s = new Signals(23);
        List<Character> expected = new ArrayList<>();
        int pos = 0;
        for (char d : "2580".toCharArray()) {
            short[] part = java.util.Arrays.copyOfRange(pcm, pos, pos + 16000);
            pos += 16000;
            s.samples(part).silence(30).tone(d, 1, 1, -12, -14, 60).silence(30);
            expected.add(d);
        }
        assertEquals("2580", Collector.digits(s.build()));
    }

    @Test
    void digitsOverBackgroundSpeech() throws IOException {
        // Keys pressed while someone talks in the background (speech 10 dB under its -3 dBFS
        // normalization, tones at -10/-12 dBm0): every digit found, nothing extra.
        for (String clip : new String[] {"en-us-female.wav", "es-male.wav"}) {
            short[] sp = scale(speech(clip), -10);
            Signals sig = new Signals(24);
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                char d = Signals.KEYS.charAt(i % 16);
                sig.tone(d, 1, 1, -10, -12, 80).silence(160);
                expected.append(d);
            }
            short[] t = sig.build();
            short[] mix = new short[t.length];
            for (int i = 0; i < mix.length; i++) {
                mix[i] = Signals.clip(t[i] + sp[i % sp.length]);
            }
            assertEquals(expected.toString(), Collector.digits(mix), clip);
        }
    }

    @Test
    void detectedThroughG711() {
        Signals s = new Signals(25).silence(40);
        for (char d : ALL) {
            s.tone(d, 1, 1, -30, -34, 45).silence(45);
        }
        short[] pcm = s.build();
        byte[] coded = new byte[pcm.length];
        short[] ulaw = new short[pcm.length];
        short[] alaw = new short[pcm.length];
        io.kinline.media.codec.G711.encodeUlaw(pcm, 0, coded, 0, pcm.length);
        io.kinline.media.codec.G711.decodeUlaw(coded, 0, ulaw, 0, pcm.length);
        io.kinline.media.codec.G711.encodeAlaw(pcm, 0, coded, 0, pcm.length);
        io.kinline.media.codec.G711.decodeAlaw(coded, 0, alaw, 0, pcm.length);
        assertEquals(Signals.KEYS, Collector.digits(ulaw), "μ-law");
        assertEquals(Signals.KEYS, Collector.digits(alaw), "A-law");
    }

    static short[] scale(short[] pcm, double gainDb) {
        double g = Math.pow(10, gainDb / 20);
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = Signals.clip(pcm[i] * g);
        }
        return out;
    }
}
