package io.kinline.admin;

import io.kinline.store.ApiToken;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsAuthTest {

    @TempDir
    Path dir;

    @Test
    void metricsCanRequireAToken() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("kinline.test.marker").increment();
        try (Store store = Store.open(StoreConfig.embedded(dir))) {
            String admin = store.tokens().issue("a", ApiToken.Role.ADMIN).secret();
            String cs = store.tokens().issue("c", ApiToken.Role.CUSTOMER_SERVICE).secret();
            try (AdminServer server = new AdminServer(AdminConfig.defaults(dir).withPort(0).withMetricsAuth(true),
                    store, null, registry)) {
                String url = "http://127.0.0.1:" + server.start().getPort() + "/metrics";
                HttpClient c = HttpClient.newHttpClient();
                assertEquals(401, c.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals(403, c.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + cs)
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                HttpResponse<String> ok = c.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                assertTrue(ok.body().contains("kinline_test_marker_total"), "the lead's registry is the one scraped");
                assertTrue(server.registry() == registry);
            }
        }
    }
}
