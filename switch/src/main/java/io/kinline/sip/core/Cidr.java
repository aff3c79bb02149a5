package io.kinline.sip.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** An IPv4 or IPv6 CIDR block ("10.0.0.0/8", "::1/128", or a bare address). Immutable. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!addr.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + s); // never resolve names here
        }
        byte[] net;
        try {
            net = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad CIDR " + s, e);
        }
        int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(t.substring(slash + 1));
        if (prefix < 0 || prefix > net.length * 8) {
            throw new IllegalArgumentException("bad prefix in " + s);
        }
        return new Cidr(net, prefix);
    }

    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rem = prefix % 8;
        if (rem == 0) {
            return true;
        }
        int mask = (0xff << (8 - rem)) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    public static boolean anyContains(List<Cidr> list, InetAddress a) {
        for (Cidr c : list) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
