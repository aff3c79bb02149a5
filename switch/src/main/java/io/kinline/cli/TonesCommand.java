package io.kinline.cli;

import io.kinline.media.tones.ToneScanner;
import io.kinline.media.wav.WavException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints the DTMF digits found in a recording: a technician's tool for diagnosing gateways. */
@Command(name = "tones", mixinStandardHelpOptions = true,
        description = "Print the DTMF digits detected in a WAV file (8 kHz 16-bit PCM, μ-law or A-law), with their times.")
final class TonesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.wav", description = "the recording to scan")
    Path file;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            System.err.println("kinline tones: " + file + ": no such file");
            return 2;
        }
        try {
            var digits = ToneScanner.scan(file);
            ToneScanner.print(digits, System.out);
            return 0;
        } catch (WavException e) {
            System.err.println("kinline tones: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println("kinline tones: " + file + ": no such file");
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("kinline tones: " + file + ": " + e.getMessage());
            return 2;
        }
    }
}
