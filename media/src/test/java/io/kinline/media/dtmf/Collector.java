package io.kinline.media.dtmf;

import java.util.ArrayList;
import java.util.List;

/** Runs a detector over a signal and collects what it reports. */
final class Collector implements DtmfDetector.Listener {
    record Hit(char digit, long start, long end) {
    }

    final List<Hit> hits = new ArrayList<>();

    @Override
    public void onDigit(char digit, long startSample, long endSample) {
        hits.add(new Hit(digit, startSample, endSample));
    }

    String digits() {
        StringBuilder sb = new StringBuilder();
        hits.forEach(h -> sb.append(h.digit()));
        return sb.toString();
    }

    static Collector run(short[] pcm, int chunk) {
        Collector c = new Collector();
        DtmfDetector d = new DtmfDetector(c);
        for (int i = 0; i < pcm.length; i += chunk) {
            d.process(pcm, i, Math.min(chunk, pcm.length - i));
        }
        d.flush();
        return c;
    }

    static String digits(short[] pcm) {
        return run(pcm, 160).digits();
    }
}
