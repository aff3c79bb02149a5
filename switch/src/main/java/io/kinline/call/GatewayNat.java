package io.kinline.call;

import io.kinline.sip.core.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateways known to be behind NAT ({@code sip.gateways.nat}): a CIDR containing the INVITE's source, or the
 * digest user that admitted it. Their dialogs send in-dialog requests to where the INVITE came from.
 */
public final class GatewayNat {

    private final List<Cidr> networks;
    private final List<String> users;

    private GatewayNat(List<Cidr> networks, List<String> users) {
        this.networks = List.copyOf(networks);
        this.users = List.copyOf(users);
    }

    /** @throws IllegalArgumentException naming a bad CIDR (the switch does not start) */
    public static GatewayNat of(List<String> gateways) {
        List<Cidr> nets = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (String g : gateways) {
            String key = g == null ? "" : g.trim();
            if (key.contains("/")) {
                try {
                    nets.add(Cidr.parse(key));
                } catch (RuntimeException bad) {
                    throw new IllegalArgumentException("sip.gateways.nat: '" + key + "' is not a CIDR", bad);
                }
            } else if (!key.isEmpty()) {
                users.add(key);
            } else {
                throw new IllegalArgumentException("sip.gateways.nat: an empty gateway name");
            }
        }
        return new GatewayNat(nets, users);
    }

    public static GatewayNat none() {
        return new GatewayNat(List.of(), List.of());
    }

    /** @param authUser the digest user that admitted the INVITE, or null */
    public boolean behindNat(InetAddress source, String authUser) {
        return authUser != null ? users.contains(authUser) : Cidr.anyContains(networks, source);
    }
}
