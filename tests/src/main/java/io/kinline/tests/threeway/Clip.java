package io.kinline.tests.threeway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One labelled clip of the corpus: the called party's side of a call, G.711-coded, and what happened in
 * it. A positive clip has one or more attempt windows; a detection inside one (from its start to its
 * end) is a hit, a detection anywhere else is a false alarm.
 */
final class Clip {

    final String id;
    final String category;
    final boolean positive;
    final byte[] g711;
    final boolean ulaw;
    final List<long[]> windows = new ArrayList<>();
    final StringBuilder notes = new StringBuilder();

    Clip(String id, String category, boolean positive, byte[] g711, boolean ulaw) {
        this.id = id;
        this.category = category;
        this.positive = positive;
        this.g711 = g711;
        this.ulaw = ulaw;
    }

    double seconds() {
        return g711.length / 8000.0;
    }

    /** {@code id  category  pos|neg  seconds  from-to;from-to  notes}, tab-separated. */
    String labelLine() {
        StringBuilder w = new StringBuilder();
        for (long[] win : windows) {
            if (!w.isEmpty()) {
                w.append(';');
            }
            w.append(win[0]).append('-').append(win[1]);
        }
        return String.join("\t", id, category, positive ? "pos" : "neg", String.format(Locale.ROOT, "%.2f", seconds()),
                w.isEmpty() ? "-" : w.toString(), notes.toString().trim());
    }

    static final String LABEL_HEADER = "id\tcategory\tclass\tseconds\twindows_ms\tnotes";
}
