package io.kinline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.config.KinlineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The systemd unit shipped in config/systemd: its command line is one the switch accepts, it runs as a
 * dedicated user with the hardening the README promises, the data directory it may write is the one the
 * switch is told to use, and systemd itself finds nothing wrong in it (when systemd-analyze is installed).
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("../config/systemd/kinline.service");

    /** [Service] key to value (the last one wins, as in systemd); comments and other sections left out. */
    private static Map<String, String> service() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(UNIT, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]")) {
                int eq = line.indexOf('=');
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void theUnitStartsTheSwitchWithOptionsItAccepts() throws Exception {
        List<String> exec = Arrays.asList(service().get("ExecStart").split("\\s+"));
        int jar = exec.indexOf("-jar");
        assertTrue(jar > 0 && exec.get(0).endsWith("/bin/java"), exec.toString());
        // The heap is bounded (issue 17): without -Xmx the JVM sizes it from the host's memory.
        assertTrue(exec.subList(1, jar).stream().anyMatch(o -> o.matches("-Xmx\\d+[mMgG]")), exec.toString());
        String[] args = exec.subList(jar + 2, exec.size()).toArray(String[]::new);
        CommandLine.ParseResult parsed = new CommandLine(new Kinline()).parseArgs(args);
        assertTrue(parsed.hasSubcommand(), "a command: " + exec);
        CommandLine.ParseResult run = parsed.subcommand();
        assertEquals("run", run.commandSpec().name());
        assertEquals(Path.of("/var/lib/kinline"), run.matchedOptionValue("--data-dir", (Path) null));
        assertEquals(Path.of("/etc/kinline/kinline.yaml"), run.matchedOptionValue("--config", (Path) null));
        // The file the README says to install there is a valid configuration.
        KinlineConfig cfg = RunCommand.load(Path.of("../config/kinline.yaml"), Path.of("/var/lib/kinline"), null,
                null, null);
        assertEquals("/var/lib/kinline", cfg.store.dataDir);
    }

    @Test
    void theUnitRunsHardenedAsItsOwnUser() throws Exception {
        Map<String, String> s = service();
        assertEquals("kinline", s.get("User"));
        assertNotEquals("root", s.get("Group"));
        assertEquals("yes", s.get("NoNewPrivileges"));
        assertEquals("strict", s.get("ProtectSystem"));
        assertEquals("0077", s.get("UMask"), "recordings and the admin token readable by the switch alone");
        assertEquals("/var/lib/kinline", s.get("ReadWritePaths"), "the data directory and nothing else");
        assertEquals("kinline", s.get("StateDirectory"));
        assertEquals("0700", s.get("StateDirectoryMode"));
        assertEquals("", s.get("CapabilityBoundingSet"), "no capabilities");
        assertEquals("SIGTERM", s.getOrDefault("KillSignal", "SIGTERM"));
        // Calls get 5 s to end at shutdown (B2bua.close), then the store closes: well within the stop timeout.
        assertTrue(Integer.parseInt(s.get("TimeoutStopSec")) >= 15, s.get("TimeoutStopSec"));
        assertFalse(s.containsKey("MemoryDenyWriteExecute"), "the JVM's JIT writes code");
        assertTrue(Files.readString(Path.of("../config/systemd/kinline.sysusers.conf")).contains("u kinline "));
    }

    @Test
    void systemdFindsNothingWrongInTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) {
            return; // no systemd tools here: the two tests above still hold the unit to its promises
        }
        Process p = new ProcessBuilder(analyze.toString(), "verify", UNIT.toAbsolutePath().normalize().toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "systemd-analyze verify hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String bad : List.of("Unknown key", "Unknown section", "Failed to parse", "Invalid", "bad-setting")) {
            assertFalse(out.contains(bad), "systemd-analyze verify: " + out);
        }
    }
}
