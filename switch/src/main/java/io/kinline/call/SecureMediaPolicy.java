package io.kinline.call;

import io.kinline.media.srtp.SdesPolicy;
import io.kinline.sip.InboundCall;
import io.kinline.sip.core.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which SDES-SRTP policy an inmate leg gets (issue 12 item 3): per gateway, picked by its digest user name or by
 * the first CIDR that holds its address, else the default. Over anything but TLS it is always off: SDES keys are in
 * the SDP in clear (RFC 4568 §8.3), so an RTP/SAVP offer over UDP or TCP finds no common transport.
 *
 * @param byDefault  the policy of TLS gateways not listed
 * @param perGateway digest user name or CIDR to policy, in order
 */
public record SecureMediaPolicy(SdesPolicy byDefault, Map<String, SdesPolicy> perGateway) {

    /** Optional SDES on TLS for every gateway: what the embedded default runs. */
    public static final SecureMediaPolicy DEFAULT = new SecureMediaPolicy(SdesPolicy.OPTIONAL, Map.of());

    public SecureMediaPolicy {
        perGateway = new LinkedHashMap<>(perGateway);
        for (String key : perGateway.keySet()) {
            if (key.contains("/")) {
                Cidr.parse(key); // a bad CIDR stops the start, naming itself
            }
        }
    }

    /** Parses "off", "optional" or "mandatory" (case-insensitive). */
    public static SdesPolicy parse(String s) {
        try {
            return SdesPolicy.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("SRTP policy must be off, optional or mandatory, not " + s);
        }
    }

    /** From the settings' strings. */
    public static SecureMediaPolicy of(String byDefault, Map<String, String> perGateway) {
        Map<String, SdesPolicy> m = new LinkedHashMap<>();
        perGateway.forEach((k, v) -> m.put(k, parse(v)));
        return new SecureMediaPolicy(parse(byDefault), m);
    }

    /** The policy of the leg this INVITE opens. */
    public SdesPolicy policyFor(InboundCall invite) {
        if (!"tls".equals(invite.transport())) {
            return SdesPolicy.OFF;
        }
        String user = invite.authenticatedUser();
        if (user != null && perGateway.containsKey(user)) {
            return perGateway.get(user);
        }
        InetAddress from = invite.source().getAddress();
        List<Map.Entry<String, SdesPolicy>> cidrs = new ArrayList<>();
        for (Map.Entry<String, SdesPolicy> e : perGateway.entrySet()) {
            if (e.getKey().contains("/")) {
                cidrs.add(e);
            }
        }
        for (Map.Entry<String, SdesPolicy> e : cidrs) {
            if (from != null && Cidr.parse(e.getKey()).contains(from)) {
                return e.getValue();
            }
        }
        return byDefault;
    }
}
