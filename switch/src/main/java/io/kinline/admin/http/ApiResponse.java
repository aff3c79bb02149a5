package io.kinline.admin.http;

import java.nio.file.Path;
import java.util.Map;

/** What a handler returns; the Netty side turns it into bytes. */
public sealed interface ApiResponse {

    int status();

    /** A JSON body (any Jackson-serialisable value), or no body when {@code body} is null (204). */
    record JsonResponse(int status, Object body, Map<String, String> headers) implements ApiResponse {
    }

    /** A page or asset of the console: any content type, with extra headers (Set-Cookie, Location, CSP). */
    record PageResponse(int status, String contentType, byte[] body, Map<String, String> headers)
            implements ApiResponse {
    }

    /** A text body, e.g. the Prometheus exposition. */
    record TextResponse(int status, String contentType, String body) implements ApiResponse {
    }

    /**
     * A file streamed from disk. {@code rangeHeader} is the request's Range header (may be null); only a
     * single {@code bytes=} range is honoured, anything else gets the full file.
     */
    record FileResponse(Path file, String contentType, String downloadName, String rangeHeader)
            implements ApiResponse {
        @Override
        public int status() {
            return 200;
        }
    }

    /**
     * A body sent whole or as the one {@code bytes=} range the request asked for ({@code rangeHeader}, may be
     * null), with extra response headers (e.g. {@code Repr-Digest}); the renderer closes {@code content}.
     */
    record ContentResponse(RangedContent content, String contentType, String downloadName, String rangeHeader,
                           Map<String, String> headers) implements ApiResponse {
        @Override
        public int status() {
            return 200;
        }
    }

    /** An RFC 9457 problem; {@code instance} is the request path. */
    record ProblemResponse(ApiException problem, String instance) implements ApiResponse {
        @Override
        public int status() {
            return problem.status();
        }
    }

    /**
     * Throws the 416 (with {@code Content-Range: bytes *}{@code /size}) that streaming a file of {@code size}
     * bytes for this Range header would give, so a handler can refuse before it audits a download.
     */
    static void requireSatisfiable(String rangeHeader, long size) {
        ResponseRenderer.parseRange(rangeHeader, size);
    }

    static ApiResponse ok(Object body) {
        return new JsonResponse(200, body, Map.of());
    }

    static ApiResponse created(Object body, String location) {
        return new JsonResponse(201, body, location == null ? Map.of() : Map.of("Location", location));
    }

    static ApiResponse noContent() {
        return new JsonResponse(204, null, Map.of());
    }
}
