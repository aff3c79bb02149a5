package io.kinline.call;

import io.kinline.sip.core.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which stations each gateway may present as the SIP From user (issue 10.4, setting
 * {@code sip.gateways.stations}). A gateway is a CIDR (admitted by source address) or a digest user name.
 * An INVITE admitted by digest is judged by its user's list; one admitted by address by the list of the most
 * specific CIDR containing its source (so a segregation unit's /29 inside a general /16 gets only its own
 * stations). A gateway with no list may present no station. No entries at all: not enforced.
 *
 * <p>A station pattern is an id ({@code 1001}), an inclusive numeric range ({@code 1001-1099}, ids of digits
 * only) or a prefix ({@code seg-*}).
 */
public final class GatewayStations {

    private record Entry(String key, Cidr cidr, String user, List<String> patterns) {
    }

    private final List<Entry> entries;

    private GatewayStations(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Not enforced: any admitted gateway may present any provisioned station. */
    public static GatewayStations open() {
        return new GatewayStations(List.of());
    }

    /**
     * @param config gateway (CIDR, with a {@code /}, or a digest user) to station patterns
     * @throws IllegalArgumentException naming the bad entry (the switch does not start)
     */
    public static GatewayStations of(Map<String, List<String>> config) {
        List<Entry> out = new ArrayList<>();
        for (var e : config.entrySet()) {
            String key = e.getKey().trim();
            List<String> patterns = e.getValue() == null ? List.of() : List.copyOf(e.getValue());
            for (String p : patterns) {
                check(key, p);
            }
            if (key.contains("/")) {
                Cidr cidr;
                try {
                    cidr = Cidr.parse(key);
                } catch (RuntimeException bad) {
                    throw new IllegalArgumentException("sip.gateways.stations: '" + key + "' is not a CIDR", bad);
                }
                out.add(new Entry(key, cidr, null, patterns));
            } else if (!key.isEmpty()) {
                out.add(new Entry(key, null, key, patterns));
            } else {
                throw new IllegalArgumentException("sip.gateways.stations: an empty gateway name");
            }
        }
        return new GatewayStations(out);
    }

    public boolean enforced() {
        return !entries.isEmpty();
    }

    /**
     * Null when the gateway may present {@code station}; otherwise the gateway as it should be named in the
     * refusal's incident ("digest user gw-east", "10.20.0.0/16", "127.0.0.1 (no entry)").
     *
     * @param authUser the digest user that admitted the INVITE, or null when it was admitted by address
     */
    public String refusal(InetAddress source, String authUser, String station) {
        if (entries.isEmpty()) {
            return null;
        }
        Entry gateway = null;
        if (authUser != null) {
            for (Entry e : entries) {
                if (authUser.equals(e.user())) {
                    gateway = e;
                }
            }
            if (gateway == null) {
                return "digest user " + authUser + " (no entry)";
            }
        } else {
            for (Entry e : entries) {
                if (e.cidr() != null && e.cidr().contains(source)
                        && (gateway == null || e.cidr().prefix() > gateway.cidr().prefix())) {
                    gateway = e;
                }
            }
            if (gateway == null) {
                return source.getHostAddress() + " (no entry)";
            }
        }
        for (String p : gateway.patterns()) {
            if (matches(p, station)) {
                return null;
            }
        }
        return gateway.user() != null ? "digest user " + gateway.user() : gateway.key();
    }

    static boolean matches(String pattern, String station) {
        if (pattern.endsWith("*")) {
            return station.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        int dash = pattern.indexOf('-');
        if (dash > 0 && isDigits(pattern.substring(0, dash)) && isDigits(pattern.substring(dash + 1))) {
            if (!isDigits(station) || station.length() > 18) {
                return false;
            }
            long n = Long.parseLong(station);
            return n >= Long.parseLong(pattern.substring(0, dash)) && n <= Long.parseLong(pattern.substring(dash + 1));
        }
        return pattern.equals(station);
    }

    private static void check(String key, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("sip.gateways.stations: an empty station pattern for '" + key + "'");
        }
        int dash = pattern.indexOf('-');
        if (dash > 0 && isDigits(pattern.substring(0, dash)) && isDigits(pattern.substring(dash + 1))
                && (dash > 18 || pattern.length() - dash - 1 > 18)) {
            throw new IllegalArgumentException("sip.gateways.stations: range '" + pattern + "' is too long");
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
