package io.kinline.cli;

import io.kinline.config.KinlineConfig;
import io.kinline.store.ApiToken;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * API tokens made on the store directly, for recovery: the bootstrap token is lost, or every admin token was
 * revoked, and nobody can reach {@code POST /api/tokens}. Whoever can read the node's configuration (the
 * database password) can already do anything to the store; this only saves them writing SQL.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "API tokens on the store, for recovery when no admin token is left.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a token on the node's store (embedded or PostgreSQL) and print its secret once, "
                    + "alone on standard output: TOKEN=$(kinline token create --config FILE --name ops).")
    static final class Create implements Callable<Integer> {

        @Mixin
        StoreOptions store;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "what the token is for")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin",
                description = "admin (default), investigator or customer-service")
        String role;

        @Override
        public Integer call() {
            ApiToken.Role r;
            try {
                r = ApiToken.Role.valueOf(role.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                System.err.println("kinline token create: --role must be admin, investigator or customer-service, not "
                        + role);
                return 2;
            }
            if (name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
                System.err.println("kinline token create: --name must be 1-100 printable characters");
                return 2;
            }
            KinlineConfig cfg;
            try {
                cfg = store.load();
            } catch (KinlineConfig.ConfigException e) {
                System.err.println("kinline token create: " + e.getMessage());
                return 2;
            }
            try (Store s = StoreOptions.open(cfg)) {
                ApiToken.Issued issued = s.tokens().issue(name.trim(), r);
                String actor = "cli:" + System.getProperty("user.name", "unknown");
                s.audit().append(AuditEntry.of(Instant.now(), actor, "token.create", "token:" + issued.token().id(),
                        null));
                System.err.println("token " + issued.token().id() + " (" + name.trim() + ", "
                        + r.name().toLowerCase(Locale.ROOT) + ") created on the store; its secret is shown once:");
                System.out.println(issued.secret());
                return 0;
            }
        }
    }
}
