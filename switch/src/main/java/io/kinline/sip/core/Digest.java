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
import io.kinline.sip.StationDigests;
import java.util.Map;

/**
 * HTTP digest (RFC 2617 / RFC 3261 §22) with MD5 and qop=auth; nonces are stateless (a timestamp signed with
 * HMAC), nonce counts are not: {@link #verify} remembers the highest {@code nc} accepted for each nonce, so a
 * response captured off the wire cannot be replayed in another request while the nonce is valid (digest
 * covers only method and URI: the replay could carry any Call-ID and station). The count table is owned by
 * the SIP core loop, like the rest of the core's state.
 */
public final class Digest {
    private static final HexFormat HEX = HexFormat.of();
    /**
     * Nonces whose counts are remembered at most. Only credentials that verified add an entry (an attacker
     * without a password adds none), and an entry lives as long as its nonce is valid (5 min by default):
     * 100,000 is 330 admitted calls a second, each on a fresh nonce, for five minutes; about 10 MB.
     */
    static final int MAX_TRACKED_NONCES = 100_000;

    /** The outcome of {@link #verify}. */
    public enum Verdict {
        /** Admit. */
        ACCEPT,
        /** Unknown user, wrong realm, forged nonce, wrong response, or no qop=auth: 403. */
        FORBIDDEN,
        /** A correct response on an expired nonce of ours: challenge again with {@code stale=true}. */
        STALE,
        /** A correct response whose nonce count was used before: a replay; challenge again, never admit. */
        REPLAY,
        /** The count table is full of live nonces: 503, try later (never admit a count we cannot remember). */
        BUSY
    }

    private final byte[] secret = new byte[32];
    /** Nonce to its issue time and the highest nonce count accepted, oldest first. */
    private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();

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
        return responseFromHa1(md5(user + ':' + realm + ':' + password), method, uri, nonce, nc, cnonce, qop);
    }

    /** The digest response value from a stored HA1. */
    public static String responseFromHa1(String ha1, String method, String uri, String nonce, String nc, String cnonce,
                                         String qop) {
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

    /**
     * Checks credentials (the parsed {@code Authorization} value) against {@code users}. The response is
     * compared in constant time; qop=auth with a nonce count and client nonce is required (the RFC 2069 form
     * has no count, so nothing would stop its replay); the count must exceed every count accepted before
     * with this nonce. A wrong response on an expired nonce is {@link Verdict#FORBIDDEN}, not stale: "stale"
     * tells the client its password was right. Core loop only.
     */
    public Verdict verify(Map<String, String> p, String method, String realm, Map<String, String> users,
                          long nowMillis, long validityMillis) {
        return verify(p, method, realm, users, user -> null, nowMillis, validityMillis);
    }

    /**
     * As {@link #verify(Map, String, String, Map, long, long)}, and for users not in {@code users}, the HA1
     * that {@code stationHa1} knows (tablets' stored credentials; it must answer from memory).
     */
    public Verdict verify(Map<String, String> p, String method, String realm, Map<String, String> users,
                          StationDigests stationHa1, long nowMillis, long validityMillis) {
        String user = p.get("username");
        String password = user == null ? null : users.get(user);
        String ha1 = user == null ? null
                : password != null ? md5(user + ':' + realm + ':' + password) : stationHa1.ha1(user);
        String nonce = p.get("nonce");
        int nonceState = checkNonce(nonce, nowMillis, validityMillis);
        if (ha1 == null || nonceState < 0 || !realm.equals(p.get("realm"))) {
            return Verdict.FORBIDDEN;
        }
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        long count = parseNonceCount(nc);
        if (!"auth".equalsIgnoreCase(p.get("qop")) || count <= 0 || cnonce == null || cnonce.isEmpty()) {
            return Verdict.FORBIDDEN;
        }
        String expected = responseFromHa1(ha1, method, p.get("uri"), nonce, nc, cnonce, "auth");
        String given = p.getOrDefault("response", "").toLowerCase(Locale.ROOT);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.FORBIDDEN;
        }
        if (nonceState > 0) {
            return Verdict.STALE;
        }
        return count(nonce, count, nowMillis, validityMillis);
    }

    /** Records {@code count} for {@code nonce} if it is higher than any before. */
    private Verdict count(String nonce, long count, long nowMillis, long validityMillis) {
        long[] seen = counts.get(nonce);
        if (seen != null) {
            if (count <= seen[1]) {
                return Verdict.REPLAY;
            }
            seen[1] = count;
            return Verdict.ACCEPT;
        }
        // Forget nonces that have expired: a response on them is answered "stale", never admitted.
        var it = counts.values().iterator();
        while (it.hasNext()) {
            long[] oldest = it.next();
            if (nowMillis - oldest[0] <= validityMillis) {
                break;
            }
            it.remove();
        }
        if (counts.size() >= MAX_TRACKED_NONCES) {
            return Verdict.BUSY;
        }
        counts.put(nonce, new long[] {issuedAt(nonce), count});
        return Verdict.ACCEPT;
    }

    /** Nonces whose counts are remembered now (for tests and metrics). */
    int trackedNonces() {
        return counts.size();
    }

    /** The 8 hex digits of {@code nc} (RFC 2617 §3.2.2), or -1. */
    static long parseNonceCount(String nc) {
        if (nc == null || nc.length() != 8) {
            return -1;
        }
        try {
            return Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long issuedAt(String nonce) {
        return Long.parseLong(nonce.substring(0, nonce.indexOf('.')), 36); // checkNonce has validated it
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
