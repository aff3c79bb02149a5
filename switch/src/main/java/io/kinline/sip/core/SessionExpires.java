package io.kinline.sip.core;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;

import javax.sip.header.Header;
import java.util.Iterator;
import java.util.Locale;

/** RFC 4028 headers: Session-Expires (compact form x), Min-SE, the "timer" option tag. */
final class SessionExpires {
    private SessionExpires() {
    }

    /** Session-Expires value: interval in seconds and refresher ("uac", "uas" or null). */
    record Offer(int interval, String refresher) {
    }

    /** The Session-Expires of a request or a 2xx, or null when absent or unreadable. */
    static Offer parse(SIPMessage m) {
        String v = value(m, "Session-Expires");
        if (v == null) {
            v = value(m, "x");
        }
        if (v == null) {
            return null;
        }
        String[] parts = v.split(";");
        int interval;
        try {
            interval = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            return null;
        }
        String refresher = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("refresher=")) {
                refresher = p.substring(10).trim();
            }
        }
        return new Offer(interval, refresher);
    }

    static int minSe(SIPMessage m) {
        String v = value(m, "Min-SE");
        if (v == null) {
            return -1;
        }
        try {
            return Integer.parseInt(v.split(";")[0].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean supportsTimer(SIPMessage m) {
        return hasOptionTag(m, "Supported") || hasOptionTag(m, "k") || hasOptionTag(m, "Require");
    }

    private static boolean hasOptionTag(SIPMessage m, String header) {
        Iterator<?> it = m.getHeaders(header);
        while (it != null && it.hasNext()) {
            String v = ((SIPHeader) it.next()).getHeaderValue();
            for (String s : v.split(",")) {
                if (s.trim().equalsIgnoreCase("timer")) {
                    return true;
                }
            }
        }
        return false;
    }

    static String value(SIPMessage m, String name) {
        Header h = m.getHeader(name);
        return h == null ? null : ((SIPHeader) h).getHeaderValue();
    }

    /** When the non-refresher gives up (RFC 4028 §10): interval minus min(32 s, interval/3). */
    static long expiryMillis(int interval) {
        long ms = interval * 1000L;
        return ms - Math.min(32_000L, ms / 3);
    }
}
