package io.kinline.admin;

import io.kinline.store.ApiToken;
import io.kinline.store.AuditEntry;
import io.kinline.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** First-start admin token. */
public final class AdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    public static final String TOKEN_NAME = "bootstrap-admin";

    private AdminBootstrap() {
    }

    /** As {@link #ensureAdminToken(Store, Path, PrintStream)}, printing to standard output. */
    public static Optional<Path> ensureAdminToken(Store store, Path dataDir) {
        return ensureAdminToken(store, dataDir, System.out);
    }

    /**
     * If the store has no active admin token, issues one named {@value #TOKEN_NAME}, writes it to
     * {@code <dataDir>/admin-token} with mode 600 and prints the file's path (never the token).
     * A stale file left from an earlier, since revoked bootstrap token is replaced.
     *
     * @return the token file if a token was created, empty if an admin token already existed
     */
    public static Optional<Path> ensureAdminToken(Store store, Path dataDir, PrintStream out) {
        boolean hasAdmin = store.tokens().list().stream()
                .anyMatch(t -> t.active() && t.role() == ApiToken.Role.ADMIN);
        if (hasAdmin) {
            return Optional.empty();
        }
        Path file = dataDir.resolve(TokenFile.FILE_NAME).toAbsolutePath();
        ApiToken.Issued issued = store.tokens().issue(TOKEN_NAME, ApiToken.Role.ADMIN);
        try {
            Files.deleteIfExists(file);
            TokenFile.write(file, issued.secret());
        } catch (IOException e) {
            store.tokens().revoke(issued.token().id()); // an unrecorded admin token must not stay valid
            throw new UncheckedIOException("cannot write admin token to " + file, e);
        }
        store.audit().append(AuditEntry.of(Instant.now(), "system", "token.bootstrap",
                "token:" + issued.token().id(), null));
        log.info("admin token written to {}", file);
        out.println("Admin token written to " + file + " (mode 600)");
        return Optional.of(file);
    }
}
