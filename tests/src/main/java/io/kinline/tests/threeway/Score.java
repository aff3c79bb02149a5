package io.kinline.tests.threeway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores detections against labels: recall per positive category (any detection inside the attempt's
 * window; strong detections counted apart, since only those may cut a call off), false alarms per
 * category and per 100 hours of negatives with a 95 % Poisson upper bound, precision over all
 * detections.
 */
final class Score {

    /** One label line: a clip and its attempt windows (ms). */
    record Label(String id, String category, boolean positive, double seconds, List<long[]> windows, String notes) {
    }

    /** One detection line of {@code kinline threeway}. */
    record Det(String id, long atMillis, double score, boolean strong, String signs) {
    }

    private static final class Row {
        int clips;
        double seconds;
        int hits;
        int strongHits;
        int detections;
        int strongDetections;
        int falseAlarms;
        int strongFalseAlarms;
        final List<String> examples = new ArrayList<>();
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private int truePositives;
    private int allDetections;
    private final List<String> missed = new ArrayList<>();
    private double bestBelowInNegatives;
    private String bestBelowExample = "";
    private int nearMisses;
    private boolean sawEpisodes;

    /** Episodes that stayed below the threshold in a negative clip: how near the detector came (stream mode only). */
    void below(Label l, List<Score.Det> episodes) {
        sawEpisodes = true;
        if (l.positive()) {
            return;
        }
        for (Det d : episodes) {
            if (d.score() >= 0.5) {
                nearMisses++;
            }
            if (d.score() > bestBelowInNegatives) {
                bestBelowInNegatives = d.score();
                bestBelowExample = String.format(Locale.ROOT, "%s at %.1f s: %s [%s]", l.id(), d.atMillis() / 1000.0, d.signs(), l.notes());
            }
        }
    }

    void add(Label l, List<Det> dets) {
        Row row = rows.computeIfAbsent(l.category(), k -> new Row());
        row.clips++;
        row.seconds += l.seconds();
        boolean hit = false;
        boolean strongHit = false;
        for (Det d : dets) {
            allDetections++;
            row.detections++;
            if (d.strong()) {
                row.strongDetections++;
            }
            boolean inside = false;
            for (long[] w : l.windows()) {
                inside |= d.atMillis() >= w[0] && d.atMillis() <= w[1];
            }
            if (inside) {
                if (!hit) {
                    truePositives++;
                }
                hit = true;
                strongHit |= d.strong();
            } else {
                row.falseAlarms++;
                if (d.strong()) {
                    row.strongFalseAlarms++;
                }
                if (row.examples.size() < 5) {
                    row.examples.add(String.format(Locale.ROOT, "%s at %.1f s, score %.2f%s: %s  [%s]", l.id(),
                            d.atMillis() / 1000.0, d.score(), d.strong() ? " strong" : "", d.signs(), l.notes()));
                }
            }
        }
        if (l.positive()) {
            row.hits += hit ? 1 : 0;
            row.strongHits += strongHit ? 1 : 0;
            if (!hit && missed.size() < 30) {
                missed.add(l.id() + " [" + l.category() + "] " + l.notes());
            }
        }
    }

    /** The report, in Markdown. */
    String report(String title) {
        StringBuilder s = new StringBuilder("### ").append(title).append("\n\n");
        s.append("| positives | clips | detected | recall | strong | strong recall |\n|---|---:|---:|---:|---:|---:|\n");
        int pc = 0;
        int ph = 0;
        int ps = 0;
        for (var e : rows.entrySet()) {
            if (!e.getKey().startsWith("pos")) {
                continue;
            }
            Row r = e.getValue();
            pc += r.clips;
            ph += r.hits;
            ps += r.strongHits;
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% | %d | %.1f %% |%n", e.getKey(), r.clips, r.hits,
                    pct(r.hits, r.clips), r.strongHits, pct(r.strongHits, r.clips)));
        }
        s.append(String.format(Locale.ROOT, "| **all** | %d | %d | **%.1f %%** | %d | %.1f %% |%n%n", pc, ph, pct(ph, pc), ps, pct(ps, pc)));
        s.append("| negatives | clips | hours | false alarms | per 100 h (95 % bound) | strong | per 100 h (95 % bound) |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|\n");
        double ordinaryHours = 0;
        int ordinaryFa = 0;
        int ordinaryStrong = 0;
        for (var e : rows.entrySet()) {
            if (e.getKey().startsWith("pos")) {
                continue;
            }
            Row r = e.getValue();
            double h = r.seconds / 3600;
            if (Negatives.ORDINARY.contains(e.getKey())) {
                ordinaryHours += h;
                ordinaryFa += r.falseAlarms;
                ordinaryStrong += r.strongFalseAlarms;
            }
            s.append(faRow(e.getKey(), r.clips, h, r.falseAlarms, r.strongFalseAlarms));
        }
        s.append(faRow("**ordinary (all above but neg-tv-phone)**", -1, ordinaryHours, ordinaryFa, ordinaryStrong));
        int posFa = 0;
        double posHours = 0;
        for (var e : rows.entrySet()) {
            if (e.getKey().startsWith("pos")) {
                posFa += e.getValue().falseAlarms;
                posHours += e.getValue().seconds / 3600;
            }
        }
        s.append(String.format(Locale.ROOT, "%nDetections outside the attempt window in positive clips (%.2f h of talk around the attempts): %d.%n", posHours, posFa));
        s.append(String.format(Locale.ROOT, "Precision over all %d detections: %.1f %% (%d inside an attempt window; a second detection inside the same window counts as neither).%n",
                allDetections, pct(truePositives, allDetections), truePositives));
        if (sawEpisodes) {
            s.append(String.format(Locale.ROOT, "Margin: episodes in negative clips that stayed below the threshold (0.60) but scored 0.50 or more: %d; the highest scored %.2f (%s).%n",
                    nearMisses, bestBelowInNegatives, bestBelowExample));
        }
        List<String> fas = new ArrayList<>();
        rows.forEach((k, r) -> fas.addAll(r.examples));
        if (!fas.isEmpty()) {
            s.append("\nFalse alarms (first five per category):\n\n");
            fas.forEach(f -> s.append("- ").append(f).append('\n'));
        }
        if (!missed.isEmpty()) {
            s.append("\nMissed attempts (up to 30):\n\n");
            missed.forEach(m -> s.append("- ").append(m).append('\n'));
        }
        return s.toString();
    }

    private static String faRow(String name, int clips, double hours, int fa, int strong) {
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %d | %.2f (%.1f) | %d | %.2f (%.1f) |%n", name,
                clips < 0 ? "" : Integer.toString(clips), hours, fa, per100(fa, hours), upper95(fa) * 100 / hours, strong,
                per100(strong, hours), upper95(strong) * 100 / hours);
    }

    private static double per100(int n, double hours) {
        return hours <= 0 ? 0 : n * 100 / hours;
    }

    private static double pct(int a, int b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }

    /** One-sided 95 % upper confidence limit of a Poisson mean after observing {@code k} events. */
    static double upper95(int k) {
        double lo = k;
        double hi = k + 10 + 5 * Math.sqrt(k + 1);
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (poissonCdf(k, mid) > 0.05) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double poissonCdf(int k, double lambda) {
        double term = Math.exp(-lambda);
        double sum = term;
        for (int i = 1; i <= k; i++) {
            term *= lambda / i;
            sum += term;
        }
        return sum;
    }
}
