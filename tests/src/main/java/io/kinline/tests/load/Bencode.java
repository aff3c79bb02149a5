package io.kinline.tests.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Minimal bencode (strings, integers, lists, dictionaries) for rtpengine's ng control protocol. */
public final class Bencode {

    private Bencode() {
    }

    public static byte[] encode(Object o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, o);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object o) {
        if (o instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (o instanceof Number n) {
            out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (o instanceof List<?> l) {
            out.write('l');
            l.forEach(x -> write(out, x));
            out.write('e');
        } else if (o instanceof Map<?, ?> m) {
            out.write('d');
            new TreeMap<>(m).forEach((k, v) -> { // keys sorted as raw strings
                write(out, k.toString());
                write(out, v);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + o);
        }
    }

    /** Decodes one value starting at {@code pos[0]}; advances it. Strings come back as String. */
    public static Object decode(byte[] b, int[] pos) {
        char c = (char) b[pos[0]];
        if (c == 'i') {
            int e = indexOf(b, (byte) 'e', pos[0]);
            long v = Long.parseLong(new String(b, pos[0] + 1, e - pos[0] - 1, StandardCharsets.US_ASCII));
            pos[0] = e + 1;
            return v;
        }
        if (c == 'l') {
            pos[0]++;
            List<Object> l = new ArrayList<>();
            while (b[pos[0]] != 'e') {
                l.add(decode(b, pos));
            }
            pos[0]++;
            return l;
        }
        if (c == 'd') {
            pos[0]++;
            Map<String, Object> m = new TreeMap<>();
            while (b[pos[0]] != 'e') {
                String k = (String) decode(b, pos);
                m.put(k, decode(b, pos));
            }
            pos[0]++;
            return m;
        }
        if (c >= '0' && c <= '9') {
            int colon = indexOf(b, (byte) ':', pos[0]);
            int len = Integer.parseInt(new String(b, pos[0], colon - pos[0], StandardCharsets.US_ASCII));
            String s = new String(b, colon + 1, len, StandardCharsets.UTF_8);
            pos[0] = colon + 1 + len;
            return s;
        }
        throw new IllegalArgumentException("bad bencode at " + pos[0] + ": " + c);
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated bencode");
    }
}
