package io.kinline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kinline} command line: {@code run} the switch, scan a file for {@code tones} or for {@code threeway}
 * attempts, run the {@code demo}, {@code verify} the recordings against their records and manifests, print the
 * evidence {@code public-key}.
 */
@Command(name = "kinline",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Kinline: an open-source softswitch for inmate calling.",
        subcommands = {RunCommand.class, TonesCommand.class, ThreeWayCommand.class, DemoCommand.class,
                VerifyCommand.class, PublicKeyCommand.class, TokenCommand.class, ReconcileCommand.class,
                StaffCommand.class, CommandLine.HelpCommand.class})
public final class Kinline implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests and the demo). */
    public static int execute(String... args) {
        // With no arguments, start the switch on the embedded default.
        String[] effective = args.length == 0 ? new String[] {"run"} : args;
        CommandLine cl = new CommandLine(new Kinline());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // A plain message for the operator; the stack trace only at debug level.
            cmd.getErr().println("kinline: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            org.slf4j.LoggerFactory.getLogger(Kinline.class).debug("command failed", ex);
            return 1;
        });
        return cl.execute(effective);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
