package io.kinline.media.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.codec.Codec;
import io.kinline.media.tones.CallProgressTone;
import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePromptLibraryTest {

    static FilePromptLibrary lib;

    @BeforeAll
    static void loadShipped() throws IOException {
        lib = FilePromptLibrary.load(PromptAudioTest.DIR, "en");
    }

    private static List<String> names(List<Prompt> prompts) {
        return prompts.stream().map(Prompt::name).toList();
    }

    private static List<String> languages(List<Prompt> prompts) {
        return prompts.stream().map(Prompt::language).distinct().toList();
    }

    /** Writes a PCM16 WAV with any rate and channel count (WavWriter only does 8 kHz). */
    static void writeWav(Path file, int rate, int channels, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + samples.length * 2).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16);
        b.putInt(0x61746164).putInt(samples.length * 2);
        for (short s : samples) {
            b.putShort(s);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    static short[] ramp(int n, int seed) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) ((i * 37 + seed) % 2000 - 1000);
        }
        return s;
    }

    @Test
    void loadsBothLanguagesPreEncoded() {
        assertEquals(Set.of("en", "es"), lib.languages());
        assertEquals("en", lib.defaultLanguage());
        Prompt welcome = lib.prompt("es", "welcome");
        assertEquals("es", welcome.language());
        assertEquals("welcome", welcome.name());
        assertTrue(welcome.durationMillis() > 200);
        for (Codec c : Codec.values()) {
            byte[] enc = welcome.encoded(c);
            assertEquals(welcome.samples(), enc.length);
            byte[] expected = new byte[welcome.samples()];
            c.encode(welcome.pcm(), 0, expected, 0, expected.length);
            assertArrayEquals(expected, enc);
        }
        assertTrue(lib.has("es", "num-21-apocope"));
        assertFalse(lib.has("en", "num-21-apocope"));
        assertTrue(lib.names("en").contains("consent-menu"));
        assertTrue(lib.count() > 200);
    }

    @Test
    void resolvesPromptsNumbersMoneyAndDurations() {
        Playlist p = Playlist.in("en").prompt("you-have").money(new BigDecimal("3.45")).prompt("remaining")
                .build();
        List<Prompt> out = lib.resolve(p);
        assertEquals(List.of("you-have", "num-3", "dollars", "money-and", "num-40", "num-5", "cents", "remaining"),
                names(out));
        assertEquals(List.of("en"), languages(out));

        List<Prompt> es = lib.resolve(Playlist.in("es").prompt("you-have").money(new BigDecimal("21.01"))
                .prompt("remaining").build());
        assertEquals(List.of("you-have", "num-21-apocope", "dollars", "money-and", "num-1-apocope", "cent",
                "remaining"), names(es));
        assertEquals(List.of("es"), languages(es));

        assertEquals(List.of("num-1", "minute", "and", "num-30", "seconds"),
                names(lib.resolve(Playlist.in("en").duration(Duration.ofSeconds(90)).build())));
        assertEquals(List.of("num-5", "minutes"),
                names(lib.resolve(Playlist.in("es").duration(Duration.ofMinutes(5)).build())));
        assertEquals(List.of("num-1-apocope", "minute"),
                names(lib.resolve(Playlist.in("es").duration(Duration.ofMinutes(1)).build())));
        assertEquals(List.of("num-2", "num-thousand", "num-24"),
                names(lib.resolve(Playlist.in("es").number(2024).build())));
        assertEquals(List.of("num-30", "and", "num-1"), names(lib.resolve(Playlist.in("es").number(31).build())));
        assertEquals(List.of("num-5", "num-5", "num-0", "num-1", "star", "pound"),
                names(lib.resolve(Playlist.in("en").digits("55-01*#").build())));
        // The rate prompt the consent menu plays: whole cents as money, a fraction of a cent exactly.
        assertEquals(List.of("rate-is", "num-21-apocope", "cents", "per-minute"), names(lib.resolve(
                Playlist.in("es").prompt("rate-is").rate(new BigDecimal("0.21")).prompt("per-minute").build())));
        for (String lang : List.of("en", "es")) {
            List<Prompt> exact = lib.resolve(Playlist.in(lang).rate(new BigDecimal("0.0575")).build());
            assertEquals(List.of("num-5", "point", "num-7", "num-5", "cents"), names(exact));
            assertEquals(List.of(lang), languages(exact), "the word 'point' is recorded in " + lang);
        }
    }

    @Test
    void silenceIsZeroesOfTheRightLength() {
        List<Prompt> out = lib.resolve(Playlist.in("en").silence(250).build());
        assertEquals(1, out.size());
        Prompt s = out.get(0);
        assertEquals(2000, s.samples());
        assertEquals(250, s.durationMillis());
        for (short v : s.pcm()) {
            assertEquals(0, v);
        }
        assertSame(s, lib.silence(250));
        int welcome = lib.prompt("en", "welcome").durationMillis();
        assertEquals(welcome + 250 + 100,
                lib.durationMillis(Playlist.in("en").prompt("welcome").silence(250).tone(440, 100).build()));
        assertEquals(0, lib.silence(0).samples());
        assertThrows(IllegalArgumentException.class, () -> lib.silence(-1));
        assertThrows(IllegalArgumentException.class, () -> lib.silence(FilePromptLibrary.MAX_GENERATED_MILLIS + 1));
    }

    @Test
    void toneIsASineAtTheRequestedFrequencyAndLevel() {
        Prompt t = lib.resolve(Playlist.in("en").tone(1000, 250).build()).get(0);
        assertEquals(2000, t.samples());
        short[] pcm = t.pcm();
        int peak = 0;
        int crossings = 0;
        for (int i = 0; i < pcm.length; i++) {
            peak = Math.max(peak, Math.abs(pcm[i]));
            if (i > 0 && (pcm[i - 1] < 0) != (pcm[i] < 0)) {
                crossings++;
            }
        }
        // -12 dBFS is 8231; 1000 Hz for 250 ms crosses zero about 500 times.
        assertTrue(Math.abs(peak - FilePromptLibrary.TONE_AMPLITUDE) < 50, "peak " + peak);
        assertTrue(crossings >= 490 && crossings <= 510, "crossings " + crossings);
        // Faded in and out: no click at the ends.
        assertTrue(Math.abs(pcm[0]) < 100 && Math.abs(pcm[pcm.length - 1]) < 300);
        assertSame(t, lib.tone(1000, 250));
        assertThrows(IllegalArgumentException.class, () -> lib.tone(4000, 100));
        assertThrows(IllegalArgumentException.class, () -> lib.tone(0, 100));
    }

    @Test
    void callProgressIsOneSharedCyclePerCadenceRepeated(@TempDir Path tmp) throws IOException {
        Playlist ringback = Playlist.in("es").callProgress(CallProgressTone.RINGBACK, 10).build();
        List<Prompt> out = lib.resolve(ringback);
        assertEquals(10, out.size(), "ten cycles");
        Prompt cycle = out.get(0);
        for (Prompt p : out) {
            assertSame(cycle, p, "every cycle is the same pre-encoded audio");
        }
        assertEquals("ringback", cycle.name());
        assertEquals(6000, cycle.durationMillis());
        assertEquals(60_000, lib.durationMillis(ringback));
        assertEquals(60_000, ringback.segments().get(0) instanceof Playlist.CallProgress c ? c.millis() : -1);
        // Nothing is generated per call or per library: another resolve, another library, same audio.
        assertSame(cycle, lib.resolve(ringback).get(0));
        assertSame(cycle, lib.withOverrides(Files.createDirectories(tmp.resolve("none"))).callProgress(
                CallProgressTone.RINGBACK));
        for (Codec c : Codec.values()) {
            assertEquals(48_000, cycle.encoded(c).length, c + " encoded once, whole cycle");
        }
        assertEquals(2 * (500 + 500) * 8, lib.resolve(Playlist.in("en").callProgress(CallProgressTone.BUSY, 2).build())
                .stream().mapToInt(Prompt::samples).sum());
        assertThrows(IllegalArgumentException.class,
                () -> lib.resolve(Playlist.in("en").callProgress(CallProgressTone.RINGBACK, 0).build()));
        assertThrows(IllegalArgumentException.class,
                () -> lib.resolve(Playlist.in("en").callProgress(CallProgressTone.RINGBACK, 11).build()),
                "more than a minute is a unit mistake, like long silences");
    }

    @Test
    void fileRefIsLoadedAndCachedUntilItChanges(@TempDir Path tmp) throws IOException {
        Path name = tmp.resolve("name-1234.wav");
        WavWriter.write(name, 1, ramp(8000, 0));
        Files.setLastModifiedTime(name, FileTime.fromMillis(1_700_000_000_000L));
        List<Prompt> out = lib.resolve(Playlist.in("en").prompt("prepaid-call-from").file(name)
                .prompt("an-inmate-at").prompt("facility-south-central").build());
        assertEquals(List.of("prepaid-call-from", "name-1234", "an-inmate-at", "facility-south-central"),
                names(out));
        Prompt first = out.get(1);
        assertArrayEquals(ramp(8000, 0), first.pcm());
        assertSame(first, lib.resolve(Playlist.in("en").file(name).build()).get(0));

        WavWriter.write(name, 1, ramp(4000, 5));
        Files.setLastModifiedTime(name, FileTime.fromMillis(1_700_000_060_000L));
        Prompt second = lib.resolve(Playlist.in("en").file(name).build()).get(0);
        assertNotSame(first, second);
        assertArrayEquals(ramp(4000, 5), second.pcm());

        Path missing = tmp.resolve("nobody.wav");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> lib.resolve(Playlist.in("en").file(missing).build()));
        assertTrue(e.getMessage().contains("nobody.wav"), e.getMessage());

        Path cd = tmp.resolve("cd.wav");
        writeWav(cd, 44_100, 1, ramp(4410, 0));
        e = assertThrows(UncheckedIOException.class, () -> lib.resolve(Playlist.in("en").file(cd).build()));
        assertTrue(e.getMessage().contains("cd.wav") && e.getMessage().contains("44100"), e.getMessage());
    }

    @Test
    void fallsBackToTheDefaultLanguage(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("en"));
        WavWriter.write(tmp.resolve("en/a.wav"), 1, ramp(1600, 1));
        WavWriter.write(tmp.resolve("en/b.wav"), 1, ramp(1600, 2));
        Files.createDirectories(tmp.resolve("es"));
        WavWriter.write(tmp.resolve("es/a.wav"), 1, ramp(1600, 3));
        Files.writeString(tmp.resolve("README.md"), "not a prompt");

        FilePromptLibrary small = FilePromptLibrary.load(tmp, "en");
        assertEquals(Set.of("en", "es"), small.languages());
        List<Prompt> out = small.resolve(Playlist.of("es", "a", "b"));
        assertEquals(List.of("a", "b"), names(out));
        assertEquals("es", out.get(0).language());
        assertEquals("en", out.get(1).language());
        assertFalse(small.has("es", "b"));
        // A language with no prompts at all speaks the default language.
        assertEquals("en", small.prompt("fr", "a").language());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small.resolve(Playlist.of("es", "a", "no-such-prompt")));
        assertTrue(e.getMessage().contains("no-such-prompt"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> FilePromptLibrary.load(tmp, "de"));
    }

    @Test
    void unknownLanguageSpeaksNumbersInTheDefaultLanguage() {
        List<Prompt> out = lib.resolve(Playlist.in("fr").number(21).money(BigDecimal.ONE).build());
        assertEquals(List.of("num-20", "num-1", "num-1", "dollar"), names(out));
        assertEquals(List.of("en"), languages(out));
    }

    @Test
    void rejectsNonTelephoneWavNamingTheFile(@TempDir Path tmp) throws IOException {
        WavWriter.write(Files.createDirectories(tmp.resolve("en")).resolve("ok.wav"), 1, ramp(800, 0));
        writeWav(tmp.resolve("en/cd-quality.wav"), 44_100, 1, ramp(44_100, 0));
        WavException e = assertThrows(WavException.class, () -> FilePromptLibrary.load(tmp, "en"));
        assertTrue(e.getMessage().contains("cd-quality.wav"), e.getMessage());
        assertTrue(e.getMessage().contains("44100 Hz"), e.getMessage());

        Files.delete(tmp.resolve("en/cd-quality.wav"));
        writeWav(tmp.resolve("en/stereo.wav"), 8000, 2, ramp(1600, 0));
        e = assertThrows(WavException.class, () -> FilePromptLibrary.load(tmp, "en"));
        assertTrue(e.getMessage().contains("stereo.wav") && e.getMessage().contains("mono"), e.getMessage());

        Files.delete(tmp.resolve("en/stereo.wav"));
        writeWav(tmp.resolve("en/empty.wav"), 8000, 1, new short[0]);
        e = assertThrows(WavException.class, () -> FilePromptLibrary.load(tmp, "en"));
        assertTrue(e.getMessage().contains("empty.wav"), e.getMessage());

        Files.delete(tmp.resolve("en/empty.wav"));
        assertEquals(1, FilePromptLibrary.load(tmp, "en").count());
        assertThrows(NoSuchFileException.class, () -> FilePromptLibrary.load(tmp.resolve("nope"), "en"));
    }

    @Test
    void overridesReplaceSyntheticPrompts(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("es"));
        WavWriter.write(tmp.resolve("es/welcome.wav"), 1, ramp(2400, 9));
        Files.createDirectories(tmp.resolve("en"));
        WavWriter.write(tmp.resolve("en/facility-north.wav"), 1, ramp(2400, 4));
        FilePromptLibrary custom = lib.withOverrides(tmp);
        assertArrayEquals(ramp(2400, 9), custom.prompt("es", "welcome").pcm());
        assertTrue(custom.has("en", "facility-north"));
        // Untouched prompts are shared, and the original library is unchanged.
        assertSame(lib.prompt("en", "welcome"), custom.prompt("en", "welcome"));
        assertFalse(lib.has("en", "facility-north"));
        assertFalse(java.util.Arrays.equals(ramp(2400, 9), lib.prompt("es", "welcome").pcm()));
    }

    /** The switch jar packs config/ under kinline-config/: load from a real jar, which cannot be listed. */
    @Test
    void loadsFromAJarThroughTheIndex(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("config.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(PromptAudioTest.DIR)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = PromptAudioTest.DIR.relativize(f).toString().replace('\\', '/');
                out.putNextEntry(new JarEntry("kinline-config/prompts/" + rel));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            FilePromptLibrary fromJar = FilePromptLibrary.loadFromClasspath(cl, FilePromptLibrary.CLASSPATH_ROOT, "en");
            assertEquals(lib.languages(), fromJar.languages());
            assertEquals(lib.count(), fromJar.count());
            for (String lang : lib.languages()) {
                assertEquals(lib.names(lang), fromJar.names(lang));
            }
            assertArrayEquals(lib.prompt("es", "consent-menu").pcm(), fromJar.prompt("es", "consent-menu").pcm());
            assertEquals(names(lib.resolve(Playlist.in("es").money(new BigDecimal("12.50")).build())),
                    names(fromJar.resolve(Playlist.in("es").money(new BigDecimal("12.50")).build())));
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> FilePromptLibrary.loadFromClasspath(empty, "kinline-config/prompts", "en"));
            assertTrue(e.getMessage().contains("prompts.tsv"), e.getMessage());
        }
    }

    @Test
    void classpathLoadFailsWhenAnIndexedFileIsMissing(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("p/en"));
        Files.writeString(tmp.resolve("p/prompts.tsv"), "# test\nname\ten\tes\nhello\tHello.\t\nbye\tBye.\tAdiós.\n");
        WavWriter.write(root.resolve("hello.wav"), 1, ramp(800, 0));
        WavWriter.write(root.resolve("bye.wav"), 1, ramp(800, 0));
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null)) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> FilePromptLibrary.loadFromClasspath(cl, "p", "en"));
            assertTrue(e.getMessage().contains("p/es/bye.wav"), e.getMessage());
            Files.createDirectories(tmp.resolve("p/es"));
            WavWriter.write(tmp.resolve("p/es/bye.wav"), 1, ramp(800, 0));
            FilePromptLibrary ok = FilePromptLibrary.loadFromClasspath(cl, "p/", "en");
            assertEquals(3, ok.count());
            assertEquals("en", ok.prompt("es", "hello").language());
        }
    }

    @Test
    void indexRejectsMalformedFiles() {
        assertThrows(IOException.class, () -> PromptIndex.parse(new java.io.StringReader("hello\tHi\n"), "t"));
        assertThrows(IOException.class,
                () -> PromptIndex.parse(new java.io.StringReader("name\ten\na\tA\na\tB\n"), "t"));
        assertThrows(IOException.class,
                () -> PromptIndex.parse(new java.io.StringReader("name\ten\n../x\tA\n"), "t"));
        assertThrows(IOException.class,
                () -> PromptIndex.parse(new java.io.StringReader("name\ten\nx\tA\tB\n"), "t"));
    }
}
