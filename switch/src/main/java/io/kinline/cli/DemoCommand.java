package io.kinline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Places scripted demo calls. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Place scripted demo calls over loopback.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinline demo: not built yet");
        return 1;
    }
}
