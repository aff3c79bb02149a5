package io.kinline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.kinline.KinlineSwitch;
import io.kinline.demo.Demo;
import io.kinline.demo.DemoOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Places scripted demo calls with built-in SIP phones over loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        // The first line is the summary under "kinline --help": a whole sentence.
        description = {"Place three scripted calls with built-in SIP phones over loopback and check their call "
                        + "records.",
                "  1. handset 1001, PIN 1234, dials 573-555-0100; the called party presses 1",
                "  2. dials 314-555-0122; the called party presses 9, 9 (block, lifted after)",
                "  3. dials 1-800-555-0100: denied, toll-free",
                "Without --target a switch starts in this process on free ports, unless a",
                "running switch holds --data-dir: then the demo calls it on 127.0.0.1:5060.",
                "Exit code 0 when all three calls ended as expected, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "SIP address of a running switch (started with --trunk 127.0.0.1:<called-party-port>)")
    String target;

    @Option(names = "--called-party-port", paramLabel = "N",
            description = "UDP port of the called party's phone, where the switch's trunk points "
                    + "(default 5080 with --target, any free port otherwise)")
    Integer calledPartyPort;

    @Option(names = "--admin", paramLabel = "HOST:PORT",
            description = "admin API of the running switch, to read call records (default 127.0.0.1:8080)")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "admin token (default: read from <data-dir>/admin-token)")
    String token;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./kinline-data",
            description = "the switch's data directory: database, recordings, admin token (default ./kinline-data)")
    Path dataDir;

    @Option(names = "--talk-seconds", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_TALK_SECONDS,
            description = "how long the first call talks (2-60, default ${DEFAULT-VALUE})")
    int talkSeconds;

    @Option(names = "--verbose", description = "show the switch's and phones' logs")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        DemoOptions options;
        try {
            InetSocketAddress t = target == null ? null : KinlineSwitch.hostPort(target, 5060);
            options = new DemoOptions(t, calledPartyPort == null ? 0 : calledPartyPort, admin, token, dataDir,
                    talkSeconds);
        } catch (IllegalArgumentException e) {
            System.err.println("kinline demo: " + e.getMessage());
            return 2;
        }
        if (!verbose) {
            quietLogs();
        }
        Demo.Result result;
        try {
            result = Demo.run(options, System.out);
        } catch (IllegalStateException e) {
            System.err.println("kinline demo: " + e.getMessage());
            return 1;
        }
        if (result.ok()) {
            System.out.println("All three calls ended as expected.");
            return 0;
        }
        System.out.println("Not as expected:");
        for (Demo.CallResult c : result.calls()) {
            if (!c.asExpected()) {
                System.out.println("  call " + c.number() + " (" + c.title() + "): " + c.problem());
            }
        }
        return 1;
    }

    /** The demo's own lines are the output; the switch's INFO logs would drown them. */
    private static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }
}
