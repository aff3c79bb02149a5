package io.kinline.tests.peer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * RFC 2617 / RFC 3261 §22 MD5 digest, written out so the test UAS can check the switch's
 * digest client without trusting any library of the system under test.
 */
public final class DigestAuth {

    private DigestAuth() {
    }

    public static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response hash; {@code qop} null for RFC 2069 style (no nc/cnonce). */
    public static String response(String user, String realm, String password, String method, String uri,
                                  String nonce, String qop, String nc, String cnonce) {
        String ha1 = md5Hex(user + ":" + realm + ":" + password);
        String ha2 = md5Hex(method + ":" + uri);
        if (qop == null || qop.isEmpty()) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** Parses {@code Digest k=v, k="v", ...} into a map (keys lower-case). */
    public static Map<String, String> parse(String header) {
        Map<String, String> m = new HashMap<>();
        if (header == null) {
            return m;
        }
        String s = header.trim();
        if (s.regionMatches(true, 0, "Digest", 0, 6)) {
            s = s.substring(6);
        }
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim().toLowerCase();
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(i, end).trim();
                i = end;
            }
            m.put(key, value);
        }
        return m;
    }

    /** Builds an Authorization header value answering {@code challenge} (WWW-/Proxy-Authenticate value). */
    public static String authorization(String challenge, String user, String password, String method, String uri,
                                       int nc) {
        Map<String, String> c = parse(challenge);
        String realm = c.getOrDefault("realm", "");
        String nonce = c.getOrDefault("nonce", "");
        String qopOffered = c.get("qop");
        String qop = qopOffered != null && qopOffered.contains("auth") ? "auth" : null;
        String ncs = String.format("%08x", nc);
        String cnonce = Long.toHexString(Double.doubleToLongBits(Math.random()));
        String resp = response(user, realm, password, method, uri, nonce, qop, ncs, cnonce);
        StringBuilder b = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri)
                .append("\", response=\"").append(resp).append("\", algorithm=MD5");
        if (qop != null) {
            b.append(", qop=").append(qop).append(", nc=").append(ncs).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (c.containsKey("opaque")) {
            b.append(", opaque=\"").append(c.get("opaque")).append('"');
        }
        return b.toString();
    }
}
