package io.kinline.sip.core;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP digest (RFC 2617 / RFC 3261 §22) with MD5 and qop=auth; stateless nonces signed with HMAC. */
public final class Digest {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] secret = new byte[32];

    public Digest() {
        new SecureRandom().nextBytes(secret);
    }

    public static String md5(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest response value. {@code qop} null selects the RFC 2069 form. */
    public static String response(String user, String realm, String password, String method, String uri,
                                  String nonce, String nc, String cnonce, String qop) {
        String ha1 = md5(user + ':' + realm + ':' + password);
        String ha2 = md5(method + ':' + uri);
        return qop == null ? md5(ha1 + ':' + nonce + ':' + ha2)
                : md5(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + qop + ':' + ha2);
    }

    /** A fresh nonce: timestamp plus an HMAC over it, so no per-nonce state is kept. */
    public String newNonce(long nowMillis) {
        String ts = Long.toString(nowMillis, 36);
        return ts + '.' + sign(ts);
    }

    /** -1 forged/garbled, 0 valid, 1 stale (expired but ours). */
    public int checkNonce(String nonce, long nowMillis, long validityMillis) {
        int dot = nonce == null ? -1 : nonce.indexOf('.');
        if (dot <= 0) {
            return -1;
        }
        String ts = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(sign(ts).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return -1;
        }
        long issued;
        try {
            issued = Long.parseLong(ts, 36);
        } catch (NumberFormatException e) {
            return -1;
        }
        return nowMillis - issued > validityMillis || issued > nowMillis + 60_000 ? 1 : 0;
    }

    private String sign(String ts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] d = mac.doFinal(ts.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the parameters of a Digest challenge or credentials value ({@code Digest a="b", c=d}); keys lower-case.
     */
    public static Map<String, String> params(String value) {
        Map<String, String> m = new LinkedHashMap<>();
        String v = value.trim();
        if (v.regionMatches(true, 0, "Digest", 0, 6)) {
            v = v.substring(6);
        }
        int i = 0;
        int n = v.length();
        while (i < n) {
            while (i < n && (v.charAt(i) == ',' || Character.isWhitespace(v.charAt(i)))) {
                i++;
            }
            int eq = v.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String val;
            if (i < n && v.charAt(i) == '"') {
                int end = v.indexOf('"', i + 1);
                if (end < 0) {
                    end = n;
                }
                val = v.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = v.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                val = v.substring(i, end).trim();
                i = end;
            }
            m.put(key, val);
        }
        return m;
    }
}
