package io.kinline.tests.threeway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.threeway.Detection;
import io.kinline.media.threeway.ThreeWayScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CI's small, fast slice of the three-way evaluation (docs/THREEWAY.md): a handful of clips of each
 * kind from the corpus generator, voiced by the recordings the project ships (no espeak-ng needed),
 * through the same WAV decoding and scanner as {@code kinline threeway}. Every attempt must be found
 * inside its window; no ordinary call may be flagged at all. The full evaluation (hundreds of attempts,
 * 10 hours of negatives per split) is tests/threeway/run.sh.
 */
class ThreeWayCorpusTest {

    private static Corpus corpus;

    @BeforeAll
    static void corpus() throws IOException {
        corpus = Corpus.fromProject(new Corpus.Spec(false, 7, 0, 0, 0), Path.of(".."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pos-full", "pos-quiet", "pos-fast", "pos-abandoned", "pos-no-dialtone"})
    void everyAttemptIsFoundWhereItHappened(String category) {
        for (int i = 0; i < 2; i++) {
            Clip c = corpus.ofCategory(category, i, 0);
            List<Detection> found = Evaluate.scan(c).detections();
            long[] w = c.windows.getFirst();
            assertEquals(1, found.size(), c.labelLine() + "\n" + found);
            Detection d = found.getFirst();
            assertTrue(d.atMillis() >= w[0] && d.atMillis() <= w[1], "outside " + w[0] + "-" + w[1] + ": " + d.line());
            if (!category.equals("pos-no-dialtone")) {
                assertTrue(d.strong(), "flash then dial tone or dialling: strong. " + c.labelLine() + "\n" + d.line());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"neg-talk", "neg-ivr", "neg-cw", "neg-tv", "neg-music", "neg-prompts", "neg-setdown"})
    void ordinaryCallsAreNeverFlagged(String category) {
        for (int i = 0; i < 2; i++) {
            Clip c = corpus.ofCategory(category, 100 + i, 150);
            ThreeWayScanner.Result r = Evaluate.scan(c);
            assertTrue(r.detections().isEmpty(), c.labelLine() + "\n" + r.detections());
            assertEquals(150, c.seconds(), 0.01);
        }
    }
}
