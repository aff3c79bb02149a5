package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinline.admin.ActiveCalls;
import io.kinline.admin.AdminConfig;
import io.kinline.admin.AdminTestBase;
import io.kinline.admin.Principal;
import io.kinline.admin.Role;
import io.kinline.admin.api.SystemEndpoints;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.Dispatcher;
import io.kinline.admin.http.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, findings 2 and 9: made-up methods and paths must not grow {@code /metrics}, and an
 * unauthenticated caller must not learn which routes exist from 404 versus 401.
 */
class MetricsAndRoutesTest extends AdminTestBase {

    static Set<String> requestSeries() {
        Set<String> series = new TreeSet<>();
        for (String line : get("/metrics", null).body().lines().toList()) {
            if (line.startsWith("kinline_admin_requests_seconds_count{")) {
                series.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return series;
    }

    @Test
    void madeUpMethodsAndPathsCollapseIntoOneLabelEach() throws Exception {
        int port = RawHttp.port(base);
        // 150 of each: the old code had a series for every one of them (over 300), the bound below is 40.
        for (int i = 0; i < 150; i++) {
            RawHttp.exchange(port, "M" + i + "X /api/facilities HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2_000);
            get("/api/no-such-thing-" + i, null);
            get("/api/no-such-thing-" + i, adminToken);
        }
        Set<String> series = requestSeries();
        assertTrue(series.size() < 40, series.size() + " series: " + series);
        assertTrue(series.stream().anyMatch(s -> s.contains("method=\"OTHER\"")), series.toString());
        assertTrue(series.stream().anyMatch(s -> s.contains("route=\"UNKNOWN\"")), series.toString());
        assertTrue(series.stream().noneMatch(s -> s.contains("no-such-thing") || s.contains("M1X")), series.toString());
    }

    @Test
    void unauthenticatedCallersCannotTellWhichRoutesExist() {
        List<String[]> probes = List.of(
                new String[] {"GET", "/api/facilities"},          // exists
                new String[] {"GET", "/api/secret-admin-thing"},  // does not
                new String[] {"GET", "/nothing/here"},
                new String[] {"PUT", "/api/facilities"},          // exists, wrong method
                new String[] {"DELETE", "/api/audit"},
                new String[] {"GET", "/api/recordings/x/y/z"},
                new String[] {"POST", "/api/calls/c-1/listen"},  // the WebSocket path, wrong method
                new String[] {"GET", "/api/calls/c-1/listen"});
        String first = null;
        for (String[] p : probes) {
            HttpResponse<String> r = call(p[0], p[1], null, null);
            JsonNode n = problem(401, null, r);
            assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent(), p[1]);
            assertTrue(r.headers().firstValue("Allow").isEmpty(), p[0] + " " + p[1] + " reveals Allow");
            String shape = n.get("type").asText() + "|" + n.get("title").asText() + "|" + n.get("detail").asText();
            if (first == null) {
                first = shape;
            }
            assertEquals(first, shape, p[0] + " " + p[1]);
            // the same with a token that is not one
            problem(401, null, call(p[0], p[1], "bogus-token", null));
        }
        // an authenticated caller still gets the precise answers
        problem(404, null, get("/api/secret-admin-thing", adminToken));
        problem(405, null, call("PUT", "/api/facilities", adminToken, "{}"));
        ok(200, get("/api/health", null));
    }

    /** {@code /metrics} is open to the host itself by default, needs a token from elsewhere, and can be either. */
    @Test
    void metricsAreOpenOnLoopbackOnlyByDefault() {
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress remote = new InetSocketAddress("192.0.2.77", 40000);
        assertEquals(200, scrape(AdminConfig.MetricsAccess.LOOPBACK, local, null));
        assertEquals(401, scrape(AdminConfig.MetricsAccess.LOOPBACK, remote, null));
        assertEquals(200, scrape(AdminConfig.MetricsAccess.LOOPBACK, remote, "staff"));
        assertEquals(403, scrape(AdminConfig.MetricsAccess.LOOPBACK, remote, "cs"));
        assertEquals(401, scrape(AdminConfig.MetricsAccess.TOKEN, local, null));
        assertEquals(200, scrape(AdminConfig.MetricsAccess.TOKEN, local, "staff"));
        assertEquals(200, scrape(AdminConfig.MetricsAccess.OPEN, remote, null));
    }

    /** One request through the real route table and dispatcher, from a chosen source address. */
    static int scrape(AdminConfig.MetricsAccess access, InetSocketAddress from, String token) {
        Router r = new Router();
        new SystemEndpoints(Map.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ActiveCalls.none(), access)
                .register(r);
        Dispatcher d = new Dispatcher(r, t -> switch (t) {
            case "staff" -> Optional.of(new Principal("1", "prometheus", Role.INVESTIGATOR));
            case "cs" -> Optional.of(new Principal("2", "cs", Role.CUSTOMER_SERVICE));
            default -> Optional.empty();
        }, null);
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        if (token != null) {
            h.set("Authorization", "Bearer " + token);
        }
        return d.dispatch(new ApiRequest("GET", "/metrics", Map.of(), h, new byte[0], from)).status();
    }
}
