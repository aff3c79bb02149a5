package io.kinline.cli;

import io.kinline.admin.console.PasswordHasher;
import io.kinline.admin.console.StaffRole;
import io.kinline.config.KinlineConfig;
import io.kinline.store.AuditEntry;
import io.kinline.store.ConflictException;
import io.kinline.store.StaffAccount;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinline staff add}: creates a staff console account straight in the database, the way to make the
 * first admin (later ones are made in the console or with {@code POST /api/staff}). The password is read
 * from the terminal (twice, not echoed) or, with {@code --password-stdin}, from the first line of standard
 * input; never from the command line, where {@code ps} and shell history would keep it.
 */
@Command(name = "staff", mixinStandardHelpOptions = true, description = "Manage staff console accounts.",
        subcommands = StaffCommand.Add.class)
final class StaffCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create a staff console account (the embedded database must not be in use: stop the switch "
                    + "first, or use PostgreSQL).")
    static final class Add implements Callable<Integer> {
        private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._@-]{0,63}$");

        @Option(names = "--username", required = true, description = "sign-in name (a-z, 0-9, . _ @ -)")
        String username;

        @Option(names = "--name", description = "the person's full name (default: the username)")
        String name;

        @Option(names = "--role", required = true,
                description = "admin, investigator, customer_service or facility_staff")
        String role;

        @Option(names = "--facility", paramLabel = "ID", description = "limit to this facility (repeatable; "
                + "required for facility_staff)")
        List<String> facilities = List.of();

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Option(names = "--config", paramLabel = "FILE", description = "the switch's configuration")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: the configuration's)")
        Path dataDir;

        @Override
        public Integer call() {
            String u = username.strip().toLowerCase(java.util.Locale.ROOT);
            if (!USERNAME.matcher(u).matches()) {
                return fail("the username must be 1-64 of a-z, 0-9, '.', '_', '@', '-'");
            }
            StaffRole r = StaffRole.parse(role).orElse(null);
            if (r == null) {
                return fail("--role must be admin, investigator, customer_service or facility_staff");
            }
            Set<String> fac = new TreeSet<>(facilities);
            if (r.needsFacilities() && fac.isEmpty()) {
                return fail("facility_staff needs at least one --facility");
            }
            char[] password;
            try {
                password = readPassword();
            } catch (IOException e) {
                return fail("cannot read the password: " + e.getMessage());
            }
            if (password == null) {
                return 2;
            }
            if (password.length < PasswordHasher.MIN_PASSWORD || password.length > PasswordHasher.MAX_PASSWORD) {
                return fail("the password must be " + PasswordHasher.MIN_PASSWORD + "-" + PasswordHasher.MAX_PASSWORD
                        + " characters");
            }
            String hash = new PasswordHasher().hash(password);
            Arrays.fill(password, '\0');
            try {
                KinlineConfig cfg = RunCommand.load(config, dataDir, null, null, null);
                Path dir = Path.of(cfg.store.dataDir).toAbsolutePath().normalize();
                StoreConfig sc = cfg.store.jdbcUrl == null ? StoreConfig.embedded(dir)
                        : StoreConfig.postgres(dir, cfg.store.jdbcUrl, cfg.store.username, cfg.store.password);
                try (Store store = Store.open(sc.withPoolSize(2))) {
                    for (String f : fac) {
                        if (store.facilities().get(f).isEmpty()) {
                            return fail("no facility " + f);
                        }
                    }
                    StaffAccount a = store.inTransaction(() -> {
                        StaffAccount c = store.staff().create(u, name == null ? u : name.strip(), r.wireName(), hash, fac);
                        store.audit().append(AuditEntry.of(Instant.now(), "cli", "staff.create", "staff:" + c.id(),
                                "{\"username\":\"" + u + "\",\"role\":\"" + r.wireName() + "\"}"));
                        return c;
                    });
                    System.out.println("Staff account " + a.username() + " (" + r.wireName() + ") created; sign in at "
                            + "http://127.0.0.1:" + cfg.admin.port + "/console");
                    return 0;
                }
            } catch (ConflictException e) {
                return fail("the username " + u + " is taken");
            } catch (KinlineConfig.ConfigException | IllegalArgumentException e) {
                return fail(e.getMessage());
            } catch (RuntimeException e) {
                String m = RunCommand.rootMessage(e);
                return fail("cannot open the database: " + m + (m != null && m.contains("already in use")
                        ? " (the embedded database is locked while the switch runs: stop it first, or use PostgreSQL)" : ""));
            }
        }

        private char[] readPassword() throws IOException {
            if (passwordStdin) {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? new char[0] : line.toCharArray();
            }
            Console c = System.console();
            if (c == null) {
                fail("no terminal to read the password from: use --password-stdin");
                return null;
            }
            char[] a = c.readPassword("Password for %s: ", username);
            char[] b = c.readPassword("Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                fail("the passwords differ");
                return null;
            }
            Arrays.fill(b, '\0');
            return a;
        }

        private static int fail(String m) {
            System.err.println("kinline staff add: " + m);
            return 2;
        }
    }
}
