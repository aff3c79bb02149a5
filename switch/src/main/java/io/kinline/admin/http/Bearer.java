package io.kinline.admin.http;

import java.util.Locale;

/** The {@code Authorization: Bearer} header (RFC 6750), read the same way by every part of the server. */
public final class Bearer {

    /** Tokens are short; a longer value is garbage and not worth a database lookup. */
    public static final int MAX_TOKEN_LENGTH = 256;

    private Bearer() {
    }

    /**
     * The token in an Authorization header value.
     *
     * @throws ApiException 401 when there is no header, it is not Bearer, or the token is empty or too long
     */
    public static String token(String header) {
        if (header == null) {
            throw ApiException.unauthorized("an Authorization: Bearer token is required");
        }
        String v = header.strip();
        if (v.length() < 7 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiException.unauthorized("only Bearer tokens are accepted");
        }
        return check(v.substring(7).strip());
    }

    /** A token from elsewhere (the WebSocket's {@code access_token}), with the same limits. */
    public static String check(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.unauthorized("invalid token");
        }
        return token;
    }
}
