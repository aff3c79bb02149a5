package io.kinline.tests.threeway;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} arguments of the corpus tools; a bad one stops with a plain message. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(args[i], flag ? "true" : args[++i]);
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return v;
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : dflt;
    }

    double number(String name, double dflt) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : dflt;
    }

    boolean split() {
        String s = required("--split");
        return switch (s) {
            case "dev" -> false;
            case "heldout" -> true;
            default -> throw new IllegalArgumentException("--split is dev or heldout, not " + s);
        };
    }

    long seed() {
        return Long.parseLong(required("--seed"));
    }

    Path repo() {
        return Path.of(get("--repo", "."));
    }

    Path cache() {
        return Path.of(get("--cache", System.getProperty("java.io.tmpdir") + "/kinline-threeway-speech"));
    }
}
