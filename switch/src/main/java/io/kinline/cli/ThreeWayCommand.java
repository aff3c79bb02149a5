package io.kinline.cli;

import io.kinline.media.threeway.ThreeWayScanner;
import io.kinline.media.wav.WavException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kinline threeway FILE.wav}: the three-way detector on a recording, for an investigator
 * checking a call and for the evaluation in docs/THREEWAY.md, which runs it over a whole corpus.
 */
@Command(name = "threeway", mixinStandardHelpOptions = true,
        description = {"Find three-way call attempts in a recording (8 kHz WAV: 16-bit PCM, μ-law or A-law).",
                "One line per detection: time in seconds, score (0-1), 'strong' (a flash then a dial tone",
                "or dialling within 10 s) or 'flag', and the signs with their times and confidences.",
                "Nothing is printed for a clean call. With several files, each line starts with 'FILE: '."})
final class ThreeWayCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE.wav", description = "the recording(s) to analyse")
    List<Path> files;

    @Option(names = "--channel", paramLabel = "N",
            description = "channel to analyse, 0 (left or mono) or 1 (right). Default: 1 for a stereo file "
                    + "(Kinline records the called party on the right), 0 for mono.")
    Integer channel;

    @Option(names = "--signs", description = "also print every sign found, detected or not, on lines starting with '#'")
    boolean signs;

    @Override
    public Integer call() {
        if (channel != null && (channel < 0 || channel > 1)) {
            System.err.println("kinline threeway: --channel is 0 or 1, not " + channel);
            return 2;
        }
        int status = 0;
        for (Path file : files) {
            String prefix = files.size() > 1 ? file + ": " : "";
            try {
                ThreeWayScanner.Result r = ThreeWayScanner.scan(file, channel);
                if (signs) {
                    ThreeWayScanner.printSigns(r, System.out, prefix);
                }
                ThreeWayScanner.print(r, System.out, prefix);
            } catch (WavException | IllegalArgumentException e) {
                System.err.println("kinline threeway: " + (e instanceof WavException ? "" : file + ": ") + e.getMessage());
                status = 2;
            } catch (NoSuchFileException e) {
                System.err.println("kinline threeway: " + file + ": no such file");
                status = 2;
            } catch (IOException e) {
                System.err.println("kinline threeway: " + file + ": " + e.getMessage());
                status = 2;
            }
        }
        System.out.flush();
        return status;
    }
}
