package io.kinline.tests.threeway;

import io.kinline.media.threeway.Detection;
import io.kinline.media.threeway.ThreeWayScanner;
import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores the three-way detector on a corpus, two ways:
 *
 * <pre>
 * # files: what kinline threeway printed for a generated directory
 * Evaluate --labels DIR/labels.tsv --detections DIR/detections.txt [--title T]
 * # streaming: generate and scan in memory (the same WAV bytes and the same scanner the CLI uses), for
 * # runs too long to keep on disk
 * Evaluate --stream --split heldout --seed N --positives P --negative-hours H --hard K [--repo .]
 * </pre>
 */
public final class Evaluate {

    /** {@code FILE.wav: 12.34  0.87  strong  signs...}, as {@code kinline threeway A.wav B.wav} prints. */
    private static final Pattern LINE = Pattern.compile("^(.*?)([^/]+)\\.wav: (\\d+\\.\\d+)  (\\d\\.\\d\\d)  (strong|flag)  (.*)$");

    private Evaluate() {
    }

    public static void main(String[] args) throws IOException {
        Args a = new Args(args);
        String report;
        if (a.flag("--clip")) { // one clip, regenerated, with every sign: for looking into a miss or a false alarm
            Corpus.Spec spec = new Corpus.Spec(a.split(), a.seed(), 0, 0, 0);
            Clip c = Corpus.create(spec, a.repo(), a.cache()).byId(a.required("--clip"));
            System.out.println(c.labelLine());
            ThreeWayScanner.Result r = ThreeWayScanner.scan(WavReader.read(Corpus.wav(c), c.id), null);
            ThreeWayScanner.printSigns(r, System.out, "");
            ThreeWayScanner.print(r, System.out, "");
            if (a.flag("--wav")) {
                Files.write(Path.of(a.get("--wav", c.id + ".wav")), Corpus.wav(c));
            }
            return;
        }
        if (a.flag("--stream")) {
            Corpus.Spec spec = new Corpus.Spec(a.split(), a.seed(), a.integer("--positives", 150),
                    a.number("--negative-hours", 10), a.integer("--hard", 20));
            report = stream(Corpus.create(spec, a.repo(), a.cache()), a.get("--title",
                    spec.split() + ", seed " + spec.seed() + " (streamed)"));
        } else {
            report = files(Path.of(a.required("--labels")), Path.of(a.required("--detections")),
                    a.get("--title", "corpus"));
        }
        System.out.println(report);
    }

    static String files(Path labels, Path detections, String title) throws IOException {
        Map<String, List<Score.Det>> byClip = new HashMap<>();
        for (String line : Files.readAllLines(detections)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                byClip.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(new Score.Det(m.group(2),
                        Math.round(Double.parseDouble(m.group(3)) * 1000), Double.parseDouble(m.group(4)),
                        m.group(5).equals("strong"), m.group(6)));
            }
        }
        Score score = new Score();
        for (Score.Label l : readLabels(labels)) {
            score.add(l, byClip.getOrDefault(l.id(), List.of()));
        }
        return score.report(title);
    }

    static String stream(Corpus corpus, String title) {
        Score score = new Score();
        corpus.generate(c -> {
            ThreeWayScanner.Result r = scan(c);
            Score.Label l = label(c);
            score.add(l, dets(c, r.detections()));
            score.below(l, dets(c, r.below()));
        });
        return score.report(title);
    }

    /** What {@code kinline threeway} finds in a clip, through the same WAV decoding and scanner. */
    static ThreeWayScanner.Result scan(Clip c) {
        try {
            return ThreeWayScanner.scan(WavReader.read(Corpus.wav(c), c.id), null);
        } catch (WavException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Score.Det> dets(Clip c, List<Detection> ds) {
        List<Score.Det> out = new ArrayList<>();
        for (Detection d : ds) {
            out.add(new Score.Det(c.id, d.atMillis(), d.score(), d.strong(),
                    d.signs().stream().map(Object::toString).reduce((x, y) -> x + " " + y).orElse("")));
        }
        return out;
    }

    static Score.Label label(Clip c) {
        return parse(c.labelLine());
    }

    static List<Score.Label> readLabels(Path file) throws IOException {
        List<Score.Label> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("id\t")) {
                out.add(parse(line));
            }
        }
        return out;
    }

    private static Score.Label parse(String line) {
        String[] f = line.split("\t", -1);
        List<long[]> windows = new ArrayList<>();
        if (!f[4].equals("-")) {
            for (String w : f[4].split(";")) {
                String[] ab = w.split("-", 2);
                windows.add(new long[] {Long.parseLong(ab[0]), Long.parseLong(ab[1])});
            }
        }
        return new Score.Label(f[0], f[1], f[2].equals("pos"), Double.parseDouble(f[3]), windows, f.length > 5 ? f[5] : "");
    }
}
