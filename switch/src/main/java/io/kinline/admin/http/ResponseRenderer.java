package io.kinline.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Map;

/**
 * Turns an {@link ApiResponse} into Netty messages. Runs on the virtual thread (JSON serialisation and
 * opening files are off the event loop); the event loop only writes the result.
 */
final class ResponseRenderer {

    static final String PROBLEM_TYPE_PREFIX = "urn:kinline:problem:";
    private static final int FILE_CHUNK = 16 * 1024;

    /** A rendered response: either a full response, or a head plus a chunked body. */
    record Outgoing(HttpResponse head, HttpChunkedInput body) {
    }

    private ResponseRenderer() {
    }

    static Outgoing render(ApiResponse response) {
        try {
            return switch (response) {
                case ApiResponse.JsonResponse j -> json(j);
                case ApiResponse.ProblemResponse p -> problem(p.problem(), p.instance());
                case ApiResponse.TextResponse t -> full(t.status(), t.contentType(),
                        t.body().getBytes(StandardCharsets.UTF_8));
                case ApiResponse.FileResponse f -> file(f);
                case ApiResponse.PageResponse pg -> {
                    Outgoing o = full(pg.status(), pg.contentType(), pg.body());
                    pg.headers().forEach(o.head().headers()::set);
                    yield o;
                }
                case ApiResponse.ContentResponse c -> content(c);
            };
        } catch (ApiException e) {
            return problem(e, null);
        } catch (JsonProcessingException e) {
            org.slf4j.LoggerFactory.getLogger(ResponseRenderer.class).error("cannot serialise response", e);
            return problem(ApiException.internal(), null);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ResponseRenderer.class).error("cannot open file", e);
            return problem(ApiException.internal(), null);
        }
    }

    private static Outgoing json(ApiResponse.JsonResponse j) throws JsonProcessingException {
        Outgoing out;
        if (j.body() == null) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(j.status()), Unpooled.EMPTY_BUFFER);
            if (j.status() != 204) {
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            common(r.headers());
            out = new Outgoing(r, null);
        } else {
            byte[] bytes = Json.mapper().writeValueAsBytes(j.body());
            out = full(j.status(), "application/json; charset=utf-8", bytes);
        }
        for (Map.Entry<String, String> e : j.headers().entrySet()) {
            out.head().headers().set(e.getKey(), e.getValue());
        }
        return out;
    }

    static Outgoing problem(ApiException e, String instance) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("type", PROBLEM_TYPE_PREFIX + e.type());
        n.put("title", e.title());
        n.put("status", e.status());
        n.put("detail", e.detail());
        if (e.field() != null) {
            n.put("field", e.field());
        }
        if (instance != null) {
            n.put("instance", instance);
        }
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            bytes = ("{\"status\":" + e.status() + "}").getBytes(StandardCharsets.US_ASCII);
        }
        Outgoing out = full(e.status(), "application/problem+json", bytes);
        HttpHeaders h = out.head().headers();
        if (!e.allow().isEmpty()) {
            h.set(HttpHeaderNames.ALLOW, String.join(", ", e.allow()));
        }
        if (e.wwwAuthenticate()) {
            h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"kinline\"");
        }
        e.headers().forEach(h::set);
        return out;
    }

    static Outgoing full(int status, String contentType, byte[] bytes) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        common(r.headers());
        return new Outgoing(r, null);
    }

    private static void common(HttpHeaders h) {
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
    }

    private static Outgoing file(ApiResponse.FileResponse f) throws IOException {
        RangedContent content;
        try {
            content = RangedContent.file(f.file());
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("no recording");
        }
        return content(new ApiResponse.ContentResponse(content, f.contentType(), f.downloadName(), f.rangeHeader(),
                Map.of()));
    }

    private static Outgoing content(ApiResponse.ContentResponse f) throws IOException {
        RangedContent content = f.content();
        boolean ok = false;
        try {
            long size = content.size();
            long[] range = parseRange(f.rangeHeader(), size);
            HttpResponse head;
            long offset;
            long length;
            if (range == null) {
                head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                offset = 0;
                length = size;
            } else {
                head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT);
                offset = range[0];
                length = range[1] - range[0] + 1;
                head.headers().set(HttpHeaderNames.CONTENT_RANGE,
                        "bytes " + range[0] + "-" + range[1] + "/" + size);
            }
            HttpHeaders h = head.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
            h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            if (f.downloadName() != null) {
                h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + f.downloadName() + "\"");
            }
            f.headers().forEach(h::set);
            common(h);
            Outgoing out = new Outgoing(head, new HttpChunkedInput(content.body(offset, length)));
            ok = true;
            return out;
        } finally {
            if (!ok) {
                content.close();
            }
        }
    }

    /**
     * Parses a single {@code bytes=} range into inclusive [first, last], or null for "send everything"
     * (no header, a multi-range or another unit, which RFC 9110 lets a server ignore).
     */
    static long[] parseRange(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw unsatisfiable(size);
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                if (first >= size) {
                    throw unsatisfiable(size);
                }
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
                if (last < first) {
                    return null; // syntactically invalid: ignore the header
                }
            }
            if (first >= size) {
                throw unsatisfiable(size);
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** RFC 9110 15.5.17: a 416 says the current length in {@code Content-Range: bytes *}{@code /size}. */
    static ApiException unsatisfiable(long size) {
        return ApiException.rangeNotSatisfiable("range outside 0-" + (size - 1) + " (bytes */" + size + ")")
                .withHeader("Content-Range", "bytes */" + size);
    }
}
