package io.kinline.admin;

import io.kinline.store.ApiToken;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminBootstrapTest {

    @TempDir
    Path dir;

    @Test
    void firstStartWritesOwnerOnlyTokenFileAndPrintsItsPath() throws Exception {
        try (Store store = Store.open(StoreConfig.embedded(dir))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Optional<Path> file = AdminBootstrap.ensureAdminToken(store, dir, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertTrue(file.isPresent());
            Path f = file.get();
            assertEquals(dir.resolve("admin-token").toAbsolutePath(), f);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            String secret = Files.readString(f).strip();
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains(f.toString()), printed);
            assertFalse(printed.contains(secret), "the token itself is never printed");
            ApiToken t = store.tokens().authenticate(secret).orElseThrow();
            assertEquals(ApiToken.Role.ADMIN, t.role());
            assertEquals(AdminBootstrap.TOKEN_NAME, t.name());

            // the token works over HTTP
            try (AdminServer server = new AdminServer(AdminConfig.defaults(dir).withPort(0), store, null, null)) {
                int port = server.start().getPort();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/tokens"))
                        .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }

            // second start: nothing new
            ByteArrayOutputStream out2 = new ByteArrayOutputStream();
            assertTrue(AdminBootstrap.ensureAdminToken(store, dir, new PrintStream(out2)).isEmpty());
            assertEquals(secret, Files.readString(f).strip());
            assertEquals(0, out2.size());
            assertEquals(1, store.tokens().list().size());

            // all admin tokens revoked: a fresh one replaces the stale file
            store.tokens().revoke(t.id());
            Optional<Path> again = AdminBootstrap.ensureAdminToken(store, dir, new PrintStream(new ByteArrayOutputStream()));
            assertTrue(again.isPresent());
            String secret2 = Files.readString(f).strip();
            assertFalse(secret2.equals(secret));
            assertTrue(store.tokens().authenticate(secret2).isPresent());
            assertTrue(store.tokens().authenticate(secret).isEmpty());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }

    @Test
    void existingAdminTokenMeansNoFile() {
        try (Store store = Store.open(StoreConfig.embedded(dir))) {
            store.tokens().issue("ops", ApiToken.Role.ADMIN);
            assertTrue(AdminBootstrap.ensureAdminToken(store, dir, new PrintStream(new ByteArrayOutputStream())).isEmpty());
            assertFalse(Files.exists(dir.resolve("admin-token")));
        }
    }
}
