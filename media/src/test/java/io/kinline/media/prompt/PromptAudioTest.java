package io.kinline.media.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.wav.WavFormat;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the committed prompt audio in {@code config/prompts} against its index. */
class PromptAudioTest {

    static final Path DIR = Path.of("..", "config", "prompts");

    /** The names the call flows code against: present in both languages, never renamed. */
    static final List<String> REQUIRED = List.of("language-menu", "welcome", "enter-inmate-number", "enter-pin", "pin-invalid",
            "pin-locked", "enter-number", "number-invalid", "say-name", "name-saved", "please-hold", "no-answer",
            "busy", "call-failed", "not-accepted", "goodbye", "call-ended", "denied-restricted",
            "denied-segregation", "denied-outside-hours", "denied-daily-limit", "denied-monthly-minutes",
            "denied-cooldown", "denied-not-approved", "denied-blocked", "denied-no-contact", "denied-toll-free",
            "denied-premium", "denied-n11", "denied-directory", "denied-international",
            "denied-insufficient-funds-debit", "denied-insufficient-funds-prepaid", "denied-unknown-station",
            "denied-system", "prepaid-call-from", "an-inmate", "an-inmate-at", "a-correctional-facility",
            "recorded-notice", "consent-menu", "rate-is", "per-minute", "confirm-block", "block-confirmed",
            "call-refused", "connected", "reminder", "one-minute-remaining", "time-limit-reached",
            "funds-exhausted", "you-have", "dollar", "dollars", "cent", "cents", "and", "minute", "minutes",
            "second", "seconds", "remaining", "facility-south-central", "num-0", "num-1", "num-2", "num-3",
            "num-4", "num-5", "num-6", "num-7", "num-8", "num-9", "num-10", "num-19", "num-20", "num-30",
            "num-90", "num-thousand", "num-million");

    static PromptIndex index;

    @BeforeAll
    static void readIndex() throws IOException {
        try (Reader r = Files.newBufferedReader(DIR.resolve("prompts.tsv"), StandardCharsets.UTF_8)) {
            index = PromptIndex.parse(r, "prompts.tsv");
        }
    }

    @Test
    void indexHasBothLanguagesAndTheRequiredNames() {
        assertEquals(List.of("en", "es"), index.languages());
        for (String name : REQUIRED) {
            assertTrue(index.text(name, "en").isPresent(), "en text for " + name);
            assertTrue(index.text(name, "es").isPresent(), "es text for " + name);
        }
        for (String name : List.of("num-11", "num-hundred", "num-billion")) {
            assertTrue(index.text(name, "en").isPresent(), "en " + name);
        }
        for (String name : List.of("num-21", "num-29", "num-1-apocope", "num-21-apocope", "num-100",
                "num-100-plus", "num-200", "num-500", "num-900", "num-millions")) {
            assertTrue(index.text(name, "es").isPresent(), "es " + name);
        }
        assertEquals("Para español, oprima 2.", index.text("language-menu", "es").orElseThrow());
    }

    /** Each indexed text has its WAV: 8 kHz 16-bit mono, 0.2-12 s, and actually audible. */
    @Test
    void everyIndexedPromptIsAnAudibleTelephoneWav() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String lang : index.languages()) {
            for (String name : index.names(lang)) {
                Path wav = DIR.resolve(lang).resolve(name + ".wav");
                if (!Files.isRegularFile(wav)) {
                    problems.add("missing " + wav);
                    continue;
                }
                WavReader.Audio a = WavReader.read(wav);
                checked++;
                if (a.sampleRate() != 8000 || a.channels() != 1 || a.format() != WavFormat.PCM16) {
                    problems.add(wav + ": " + a.sampleRate() + " Hz, " + a.channels() + " ch, " + a.format());
                    continue;
                }
                long ms = a.durationMillis();
                if (ms < 200 || ms > 12_000) {
                    problems.add(wav + ": " + ms + " ms");
                }
                // Trimmed: at most 50 ms below -50 dBFS at either end, so strung-together words flow.
                short[] pcm = a.samples();
                int lead = 0;
                while (lead < pcm.length && Math.abs(pcm[lead]) < 104) {
                    lead++;
                }
                int trail = 0;
                while (trail < pcm.length && Math.abs(pcm[pcm.length - 1 - trail]) < 104) {
                    trail++;
                }
                if (lead > 400 || trail > 400) {
                    problems.add(wav + ": " + lead / 8 + " ms leading, " + trail / 8 + " ms trailing silence");
                }
                double sum = 0;
                int peak = 0;
                for (short s : a.samples()) {
                    sum += (double) s * s;
                    peak = Math.max(peak, Math.abs(s));
                }
                double rmsDb = 20 * Math.log10(Math.sqrt(sum / a.samples().length) / 32768);
                double peakDb = 20 * Math.log10(peak / 32768.0);
                // Normalised speech sits around -18..-26 dBFS RMS; below -35 it is too quiet to use.
                if (rmsDb < -35 || peakDb < -12 || peakDb > -0.5) {
                    problems.add(String.format("%s: RMS %.1f dBFS, peak %.1f dBFS", wav, rmsDb, peakDb));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked > 200, "checked " + checked);
    }

    /** No stray WAVs that the index does not know (they would not be packed for the classpath loader). */
    @Test
    void noWavOutsideTheIndex() throws IOException {
        List<String> stray = new ArrayList<>();
        for (String lang : index.languages()) {
            List<String> names = index.names(lang);
            try (DirectoryStream<Path> wavs = Files.newDirectoryStream(DIR.resolve(lang), "*.wav")) {
                for (Path wav : wavs) {
                    String f = wav.getFileName().toString();
                    if (!names.contains(f.substring(0, f.length() - 4))) {
                        stray.add(wav.toString());
                    }
                }
            }
        }
        assertTrue(stray.isEmpty(), "not in prompts.tsv: " + stray);
    }
}
