package io.kinline.tests.threeway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The labelled three-way corpus, generated deterministically from a seed: positives (attempts in the
 * middle of a call), ordinary negatives (at least the hours asked for), and hard negatives (television
 * phone scenes), each clip the called party's side of a call, G.711-coded.
 *
 * <pre>
 * java -cp tests/target/benchmarks.jar io.kinline.tests.threeway.Corpus \
 *      --split dev|heldout --seed N --positives 150 --negative-hours 10 --hard 20 --out DIR [--repo .]
 * </pre>
 * writes {@code DIR/<id>.wav} (μ-law or A-law WAV, as the clip's line) and {@code DIR/labels.tsv}. The
 * dev and held-out splits differ in seed, voices, languages and sentences (see {@link SpeechPool},
 * {@link Texts}).
 */
public final class Corpus {

    /** What to generate. */
    public record Spec(boolean heldOut, long seed, int positives, double negativeHours, int hard) {
        public String split() {
            return heldOut ? "heldout" : "dev";
        }
    }

    private final Spec spec;
    private final SpeechPool pool;
    private final List<float[]> switchPrompts;

    public Corpus(Spec spec, SpeechPool pool, List<float[]> switchPrompts) {
        this.spec = spec;
        this.pool = pool;
        this.switchPrompts = switchPrompts;
    }

    /** The espeak-ng pool of the split plus the project's recordings; the switch's reminder prompts. */
    public static Corpus create(Spec spec, Path repo, Path cache) throws IOException {
        return new Corpus(spec, SpeechPool.forSplit(spec.heldOut(), spec.seed(), repo, cache), switchPrompts(repo));
    }

    /** A corpus from the project's own recordings only (no espeak-ng): for the CI test. */
    public static Corpus fromProject(Spec spec, Path repo) throws IOException {
        List<SpeechPool.Speaker> speakers = new ArrayList<>(SpeechPool.fromProject(false, repo));
        speakers.addAll(SpeechPool.fromProject(true, repo));
        return new Corpus(spec, new SpeechPool(speakers), switchPrompts(repo));
    }

    static List<float[]> switchPrompts(Path repo) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (String lang : List.of("en", "es")) {
            for (String name : List.of("reminder", "one-minute-remaining")) {
                out.add(SpeechPool.normalise(SpeechPool.readWav(repo.resolve("config/prompts/" + lang + "/" + name + ".wav"))));
            }
        }
        return out;
    }

    /** Generates every clip, in order, handing each to {@code sink}. */
    public void generate(Consumer<Clip> sink) {
        for (int i = 0; i < spec.positives(); i++) {
            sink.accept(positive(i));
        }
        double seconds = 0;
        for (int i = 0; seconds < spec.negativeHours() * 3600; i++) {
            Clip c = negative(i);
            seconds += c.seconds();
            sink.accept(c);
        }
        for (int i = 0; i < spec.hard(); i++) {
            sink.accept(hard(i));
        }
    }

    Clip positive(int i) {
        SplittableRandom r = rng(1, i);
        return Positives.make(String.format(Locale.ROOT, "%s-pos-%04d", spec.split(), i), Positives.category(r), r, pool);
    }

    Clip negative(int i) {
        SplittableRandom r = rng(2, i);
        return Negatives.make(String.format(Locale.ROOT, "%s-neg-%04d", spec.split(), i), Negatives.category(r),
                Dsp.uniform(r, 240, 600), r, pool, switchPrompts);
    }

    Clip hard(int i) {
        SplittableRandom r = rng(3, i);
        return Negatives.make(String.format(Locale.ROOT, "%s-hard-%04d", spec.split(), i), Negatives.TV_PHONE,
                Dsp.uniform(r, 120, 300), r, pool, switchPrompts);
    }

    /** One clip of a chosen category (the CI test's handful); negatives last {@code seconds}. */
    Clip ofCategory(String category, int index, double seconds) {
        SplittableRandom r = rng(4, index);
        String id = String.format(Locale.ROOT, "%s-%s-%04d", spec.split(), category, index);
        return category.startsWith("pos")
                ? Positives.make(id, category, r, pool)
                : Negatives.make(id, category, seconds, r, pool, switchPrompts);
    }

    /** Regenerates one clip by its id ({@code dev-pos-0006}). */
    Clip byId(String id) {
        String[] p = id.split("-");
        int i = Integer.parseInt(p[2]);
        return switch (p[1]) {
            case "pos" -> positive(i);
            case "neg" -> negative(i);
            case "hard" -> hard(i);
            default -> throw new IllegalArgumentException(id);
        };
    }

    /** One generator per clip, from the seed, the kind and the index: changing one count leaves the other clips as they were. */
    private SplittableRandom rng(int kind, int index) {
        long s = spec.seed() * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
        return new SplittableRandom(s);
    }

    /** The clip as a WAV file's bytes (8-bit μ-law or A-law, 8 kHz mono). */
    public static byte[] wav(Clip c) {
        int n = c.g711.length;
        ByteBuffer b = ByteBuffer.allocate(58 + n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(50 + n).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(18).putShort((short) (c.ulaw ? 7 : 6)).putShort((short) 1).putInt(8000).putInt(8000)
                .putShort((short) 1).putShort((short) 8).putShort((short) 0);
        b.putInt(0x74636166).putInt(4).putInt(n); // "fact": sample count, required for non-PCM formats
        b.putInt(0x61746164).putInt(n).put(c.g711);
        return b.array();
    }

    public static void main(String[] args) throws IOException {
        Args a = new Args(args);
        Spec spec = new Spec(a.split(), a.seed(), a.integer("--positives", 150), a.number("--negative-hours", 10),
                a.integer("--hard", 20));
        Path out = Path.of(a.required("--out"));
        Files.createDirectories(out);
        Corpus corpus = create(spec, a.repo(), a.cache());
        List<String> labels = new ArrayList<>();
        labels.add(Clip.LABEL_HEADER);
        double[] hours = new double[1];
        corpus.generate(c -> {
            try (OutputStream o = Files.newOutputStream(out.resolve(c.id + ".wav"))) {
                o.write(wav(c));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            labels.add(c.labelLine());
            hours[0] += c.seconds() / 3600;
        });
        Files.write(out.resolve("labels.tsv"), labels);
        System.out.printf(Locale.ROOT, "%s: %d clips, %.2f hours, in %s%n", spec.split(), labels.size() - 1, hours[0], out);
    }
}
