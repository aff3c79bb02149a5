package io.kinline.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Database fixtures for the store and billing contract tests: a fresh H2 file database in a
 * temporary directory, or a fresh database in one embedded PostgreSQL shared by the test JVM.
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    public static StoreConfig h2(Path dataDir) {
        return StoreConfig.embedded(dataDir);
    }

    /** A new, empty PostgreSQL database. */
    public static synchronized StoreConfig postgres(Path dataDir) {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.start();
                EmbeddedPostgres pg = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // JVM is exiting
                    }
                }));
            }
            String name = "kinline_t" + COUNTER.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
            return new StoreConfig(dataDir, url, "postgres", "postgres", 30);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
