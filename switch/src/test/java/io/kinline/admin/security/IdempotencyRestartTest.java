package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.admin.AdminConfig;
import io.kinline.admin.AdminServer;
import io.kinline.store.ApiToken;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency keys live in the database: they survive a restart, and last 24 hours. H2 and PostgreSQL. */
class IdempotencyRestartTest {

    @TempDir
    Path dir;

    final HttpClient client = HttpClient.newHttpClient();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T12:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    HttpResponse<String> deposit(String base, String token, String key, String amount) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/api/accounts/prepaid/+15735550951/deposits"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":\"" + amount + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    AdminServer server(Store store) {
        return new AdminServer(AdminConfig.defaults(dir).withPort(0), store, null,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
    }

    void run(StoreConfig config) throws Exception {
        String token;
        String firstBody;
        try (Store store = Store.open(config); AdminServer s = server(store)) {
            token = store.tokens().issue("cs", ApiToken.Role.CUSTOMER_SERVICE).secret();
            String base = "http://127.0.0.1:" + s.start().getPort();
            HttpResponse<String> first = deposit(base, token, "k-restart", "3.00");
            assertEquals(201, first.statusCode(), first.body());
            firstBody = first.body();
        }
        try (Store store = Store.open(config); AdminServer s = server(store)) {
            String base = "http://127.0.0.1:" + s.start().getPort();
            HttpResponse<String> replay = deposit(base, token, "k-restart", "3.00");
            assertEquals(201, replay.statusCode(), replay.body());
            assertEquals(firstBody, replay.body());
            assertEquals(422, deposit(base, token, "k-restart", "4.00").statusCode());
            assertEquals("3.00", store.accounts().prepaid("+15735550951").orElseThrow().balance().toPlainString());

            now.set(now.get().plus(Duration.ofHours(23)));
            assertEquals(firstBody, deposit(base, token, "k-restart", "3.00").body(), "still replayed at 23 h");
            now.set(now.get().plus(Duration.ofHours(2)));
            HttpResponse<String> later = deposit(base, token, "k-restart", "4.00");
            assertEquals(201, later.statusCode(), "after 24 h the key is free again: " + later.body());
            assertEquals("7.00", store.accounts().prepaid("+15735550951").orElseThrow().balance().toPlainString());
        }
    }

    @Test
    void onH2() throws Exception {
        run(TestDatabases.h2(dir));
    }

    @Test
    void onPostgres() throws Exception {
        run(TestDatabases.postgres(dir));
    }
}
