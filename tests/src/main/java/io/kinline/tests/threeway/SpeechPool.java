package io.kinline.tests.threeway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * The voices of the corpus: speakers, each with a handful of utterances, every utterance normalised to
 * an active speech level of 1.0 (so a caller scales it to the level it wants).
 *
 * <p>Two sources: espeak-ng (several languages and voice variants, pitch and speed per speaker; output
 * resampled to 8 kHz with sox and cached by a hash of what was asked), and WAV files the project ships
 * (the switch's prompts, the DTMF talk-off clips), cut into utterances at their pauses.
 */
final class SpeechPool {

    record Speaker(String id, List<float[]> utterances) {
        float[] pick(SplittableRandom r) {
            return utterances.get(r.nextInt(utterances.size()));
        }
    }

    /** espeak-ng voice, its text language, its variant. */
    private record Voice(String espeak, String language) {
    }

    private static final List<Voice> DEV = List.of(
            new Voice("en-us+m1", "en"), new Voice("en-us+m3", "en"), new Voice("en-us+f1", "en"),
            new Voice("en-us+f2", "en"), new Voice("en-us+m7", "en"), new Voice("en-us+f4", "en"),
            new Voice("es-419+m2", "es"), new Voice("es-419+f3", "es"), new Voice("es-419+m5", "es"),
            new Voice("es-419+f5", "es"), new Voice("fr-fr+m4", "fr"), new Voice("fr-fr+f2", "fr"),
            new Voice("de+m6", "de"), new Voice("de+f1", "de"));
    private static final List<Voice> HELD_OUT = List.of(
            new Voice("en-gb+Andy", "en"), new Voice("en-gb+Annie", "en"), new Voice("en-us+david", "en"),
            new Voice("en-us+linda", "en"), new Voice("en-us+benjamin", "en"), new Voice("en-us+Alicia", "en"),
            new Voice("es+max", "es"), new Voice("es+aunty", "es"), new Voice("es+Michael", "es"),
            new Voice("es-419+edward", "es"), new Voice("pt-br+belinda", "pt"), new Voice("pt-br+john", "pt"),
            new Voice("it+steph", "it"), new Voice("it+paul", "it"), new Voice("nl+Jacky", "nl"),
            new Voice("pl+robert", "pl"));
    static final int UTTERANCES_PER_SPEAKER = 12;

    private final List<Speaker> speakers;

    SpeechPool(List<Speaker> speakers) {
        if (speakers.size() < 3) {
            throw new IllegalArgumentException("a corpus needs at least three speakers, got " + speakers.size());
        }
        this.speakers = List.copyOf(speakers);
    }

    List<Speaker> speakers() {
        return speakers;
    }

    Speaker pick(SplittableRandom r) {
        return speakers.get(r.nextInt(speakers.size()));
    }

    /** A speaker other than the ones given. */
    Speaker pickOther(SplittableRandom r, Speaker... not) {
        while (true) {
            Speaker s = pick(r);
            boolean taken = false;
            for (Speaker n : not) {
                taken |= n == s;
            }
            if (!taken) {
                return s;
            }
        }
    }

    /**
     * The pool of a split: espeak-ng voices of that split, plus the project's own recordings (dev: the
     * switch's prompts in config/prompts; held-out: the talk-off clips in media/src/test/resources/speech).
     */
    static SpeechPool forSplit(boolean heldOut, long seed, Path repo, Path cache) throws IOException {
        List<Speaker> speakers = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eec5eedL);
        for (Voice v : heldOut ? HELD_OUT : DEV) {
            int pitch = 25 + r.nextInt(51);
            int speed = 135 + r.nextInt(51);
            List<String> bank = Texts.of(v.language(), heldOut);
            List<float[]> utts = new ArrayList<>();
            for (int u = 0; u < UTTERANCES_PER_SPEAKER; u++) {
                int sentences = 1 + r.nextInt(3);
                StringBuilder text = new StringBuilder();
                for (int s = 0; s < sentences; s++) {
                    text.append(bank.get(r.nextInt(bank.size()))).append(' ');
                }
                utts.add(normalise(espeak(v.espeak(), pitch, speed, text.toString().trim(), cache)));
            }
            speakers.add(new Speaker(v.espeak() + " p" + pitch + " s" + speed, utts));
        }
        speakers.addAll(fromProject(heldOut, repo));
        return new SpeechPool(speakers);
    }

    /** Only the project's shipped recordings: what the CI test uses, with no espeak-ng needed. */
    static List<Speaker> fromProject(boolean heldOut, Path repo) throws IOException {
        List<Speaker> out = new ArrayList<>();
        if (!heldOut) {
            // The pinned list, not the directory: a new prompt must not reseed the corpus its numbers came from.
            java.util.Set<String> pinned = Files.readAllLines(repo.resolve("tests/threeway/corpus-prompts.txt"))
                    .stream().filter(l -> !l.isBlank() && !l.startsWith("#")).collect(java.util.stream.Collectors.toSet());
            for (String lang : List.of("en", "es")) {
                List<float[]> utts = new ArrayList<>();
                try (var files = Files.list(repo.resolve("config/prompts").resolve(lang))) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".wav"))
                            .filter(f -> pinned.contains(lang + "/" + f.getFileName())).sorted().toList()) {
                        float[] x = readWav(p);
                        if (x.length >= Dsp.samples(0.8)) {
                            utts.add(normalise(x));
                        }
                    }
                }
                out.add(new Speaker("config/prompts/" + lang, utts));
            }
        } else {
            for (String name : List.of("en-us-male", "en-us-female", "es-male", "es-female")) {
                float[] x = readWav(repo.resolve("media/src/test/resources/speech/" + name + ".wav"));
                out.add(new Speaker("speech/" + name, cutAtPauses(x)));
            }
        }
        return out;
    }

    static float[] readWav(Path p) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(p.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 8000 || f.getChannels() != 1 || f.getSampleSizeInBits() != 16) {
                throw new IOException(p + ": need 8 kHz 16-bit mono, got " + f);
            }
            return pcm(in.readAllBytes(), f.isBigEndian());
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
    }

    private static float[] pcm(byte[] b, boolean bigEndian) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[b.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = buf.getShort();
        }
        return x;
    }

    /** espeak-ng, resampled to 8 kHz 16-bit by sox; cached. */
    private static float[] espeak(String voice, int pitch, int speed, String text, Path cache) throws IOException {
        String key = hash(voice + "|" + pitch + "|" + speed + "|" + text);
        Path file = cache.resolve(key + ".raw");
        if (!Files.exists(file)) {
            Files.createDirectories(cache);
            List<ProcessBuilder> pipe = List.of(
                    new ProcessBuilder("espeak-ng", "-v", voice, "-p", Integer.toString(pitch), "-s",
                            Integer.toString(speed), "--stdout", "--", text),
                    new ProcessBuilder("sox", "-t", "wav", "-", "-r", "8000", "-b", "16", "-c", "1", "-e",
                            "signed-integer", "-L", "-t", "raw", "-").redirectError(ProcessBuilder.Redirect.DISCARD));
            List<Process> ps = ProcessBuilder.startPipeline(pipe);
            byte[] raw;
            try (InputStream in = ps.get(1).getInputStream()) {
                raw = in.readAllBytes();
            }
            try {
                for (Process p : ps) {
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IOException("espeak-ng/sox failed for voice " + voice);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            Path tmp = cache.resolve(key + ".tmp");
            Files.write(tmp, raw);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return pcm(Files.readAllBytes(file), false);
    }

    /** Scales to an active speech level of 1.0 and trims leading and trailing near-silence. */
    static float[] normalise(float[] x) {
        double level = Dsp.activeRms(x);
        if (level <= 0) {
            return x;
        }
        double floor = level * 0.01;
        int from = 0;
        int to = x.length;
        while (from < to && Math.abs(x[from]) < floor) {
            from++;
        }
        while (to > from && Math.abs(x[to - 1]) < floor) {
            to--;
        }
        float[] out = new float[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (x[from + i] / level);
        }
        return out;
    }

    /** Splits a long recording into utterances at pauses of at least 250 ms. */
    static List<float[]> cutAtPauses(float[] x) {
        List<float[]> out = new ArrayList<>();
        double level = Dsp.activeRms(x);
        int frames = x.length / 160;
        int start = -1;
        int quiet = 0;
        for (int f = 0; f < frames; f++) {
            boolean loud = Dsp.rmsOf(x, f * 160, f * 160 + 160) > level * 0.05;
            if (loud) {
                if (start < 0) {
                    start = f;
                }
                quiet = 0;
            } else if (start >= 0 && ++quiet >= 13) {
                addCut(out, x, start, f - quiet + 1);
                start = -1;
            }
        }
        if (start >= 0) {
            addCut(out, x, start, frames);
        }
        return out;
    }

    private static void addCut(List<float[]> out, float[] x, int fromFrame, int toFrame) {
        if (toFrame - fromFrame >= 40) {
            float[] u = new float[(toFrame - fromFrame) * 160];
            System.arraycopy(x, fromFrame * 160, u, 0, u.length);
            out.add(normalise(u));
        }
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
