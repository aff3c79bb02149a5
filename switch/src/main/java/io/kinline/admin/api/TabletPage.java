package io.kinline.admin.api;

import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The reference tablet page ({@code GET /tablet}) and its static files: the page, its script, and
 * JsSIP (vendored from npm with its MIT licence, {@code /tablet/LICENSE.jssip.txt}). Public: the page
 * holds no secret, the tablet signs in to SIP with its own credential. Loaded once from the jar;
 * nothing is fetched from the network at run time.
 */
final class TabletPage {

    private static final String ROOT = "/io/kinline/admin/tablet/";
    private static final Map<String, String[]> FILES = Map.of(
            "/tablet", new String[] {"index.html", "text/html; charset=utf-8"},
            "/tablet/tablet.js", new String[] {"tablet.js", "text/javascript; charset=utf-8"},
            "/tablet/jssip.min.js", new String[] {"jssip.min.js", "text/javascript; charset=utf-8"},
            "/tablet/LICENSE.jssip.txt", new String[] {"LICENSE.jssip.txt", "text/plain; charset=utf-8"});

    private TabletPage() {
    }

    static void register(Router r) {
        FILES.forEach((path, file) -> {
            String body = load(file[0]);
            r.addPublic("GET", path, req -> new ApiResponse.TextResponse(200, file[1], body));
        });
    }

    private static String load(String name) {
        try (InputStream in = TabletPage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
