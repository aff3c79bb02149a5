package io.kinline.media.srtp;

import java.util.HexFormat;

/** Hex helpers for test vectors. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", "").toLowerCase());
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
