package io.kinline.media.threeway;

import java.util.ArrayList;
import java.util.List;

/** Runs a detector over audio and keeps everything it reports. */
final class Run implements ThreeWayDetector.Listener {

    final List<Detection> detections = new ArrayList<>();
    final List<Detection> ended = new ArrayList<>();
    final List<Sign> signs = new ArrayList<>();
    final ThreeWayDetector detector = new ThreeWayDetector(this);

    static Run of(short[] pcm) {
        Run run = new Run();
        run.feed(pcm, 160);
        run.detector.flush();
        return run;
    }

    void feed(short[] pcm, int chunk) {
        for (int i = 0; i < pcm.length; i += chunk) {
            detector.process(pcm, i, Math.min(chunk, pcm.length - i));
        }
    }

    @Override
    public void onDetection(Detection d) {
        detections.add(d);
    }

    @Override
    public void onEpisodeEnd(Detection d) {
        ended.add(d);
    }

    @Override
    public void onSign(Sign s) {
        signs.add(s);
    }

    List<Sign> signs(Sign.Kind kind) {
        return signs.stream().filter(s -> s.kind() == kind).toList();
    }

    /** The best confidence of a kind, 0 if none. */
    double best(Sign.Kind kind) {
        return signs(kind).stream().mapToDouble(Sign::confidence).max().orElse(0);
    }

    @Override
    public String toString() {
        return "signs " + signs + " detections " + ended;
    }
}
