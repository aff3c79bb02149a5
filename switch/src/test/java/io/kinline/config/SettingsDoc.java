package io.kinline.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the settings catalogue out of {@link KinlineConfig} (each public field with a {@link Setting})
 * and renders it: the sample {@code config/kinline.yaml}, the full reference in
 * {@code docs/CONFIGURATION.md}, and the short tables in the other docs.
 */
final class SettingsDoc {

    /** One setting: its dotted key, its Java field and its default. */
    record Entry(String key, Field field, Object defaultValue, Setting doc) {

        String section() {
            int dot = key.indexOf('.');
            return dot < 0 ? "" : key.substring(0, dot);
        }

        String name() {
            return key.substring(key.lastIndexOf('.') + 1);
        }

        String type() {
            if (!doc.type().isEmpty()) {
                return doc.type();
            }
            Class<?> t = field.getType();
            String base = t == int.class ? "integer" : t == boolean.class ? "boolean" : t == String.class ? "string"
                    : List.class.isAssignableFrom(t) ? "list of strings" : Map.class.isAssignableFrom(t) ? "map"
                    : t.getSimpleName();
            for (String unit : List.of("Millis", "Seconds", "Bytes")) {
                if (key.endsWith(unit)) {
                    return base + ", " + (unit.equals("Millis") ? "milliseconds" : unit.toLowerCase());
                }
            }
            return base;
        }

        /** The default for a docs table: in backticks, or what unset means. */
        String shownDefault() {
            return defaultValue == null ? plainDefault() : "`" + plainDefault() + "`";
        }

        /** The default as a reader writes it (no YAML quoting); unset values say what unset means. */
        String plainDefault() {
            if (defaultValue == null) {
                return doc.unset().isEmpty() ? "unset" : "unset: " + doc.unset();
            }
            return plain(defaultValue);
        }
    }

    private SettingsDoc() {
    }

    /** Every setting, in declaration order (the order of the YAML file). */
    static List<Entry> catalogue() {
        List<Entry> out = new ArrayList<>();
        walk(new KinlineConfig(), "", out);
        return out;
    }

    private static void walk(Object section, String prefix, List<Entry> out) {
        for (Field f : section.getClass().getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) || !Modifier.isPublic(m)) {
                continue;
            }
            Object value;
            try {
                value = f.get(section);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            Setting doc = f.getAnnotation(Setting.class);
            if (doc == null && f.getType().getDeclaringClass() == KinlineConfig.class) {
                walk(value, prefix + f.getName() + ".", out);
            } else if (doc == null) {
                throw new IllegalStateException(prefix + f.getName()
                        + " has no @Setting: every setting says what it does, its limit and an example");
            } else {
                out.add(new Entry(prefix + f.getName(), f, value, doc));
            }
        }
    }

    // ------------------------------------------------------------------ config/kinline.yaml

    static String yaml(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        b.append("# Kinline's settings, each with its default. Generated from io.kinline.config.KinlineConfig\n")
                .append("# by SettingsDocTest (which fails when this file drifts): edit the class, not this file.\n")
                .append("# A file passed with --config names only what it changes; docs/CONFIGURATION.md explains\n")
                .append("# every setting with its limit and an example. CLI overrides: --data-dir, --sip-port,\n")
                .append("# --admin-port, --trunk.\n");
        List<String> open = List.of();
        for (Entry e : entries) {
            List<String> path = List.of(e.key().split("\\."));
            List<String> parents = path.subList(0, path.size() - 1);
            int common = 0;
            while (common < open.size() && common < parents.size() && open.get(common).equals(parents.get(common))) {
                common++;
            }
            for (int i = common; i < parents.size(); i++) {
                b.append(i == 0 ? "\n" : "").append("  ".repeat(i)).append(parents.get(i)).append(":\n");
            }
            open = parents;
            String indent = "  ".repeat(parents.size());
            if (parents.isEmpty()) {
                b.append('\n');
            }
            for (String line : wrap(stripMarkdown(e.doc().value()), 98 - indent.length())) {
                b.append(indent).append("# ").append(line).append('\n');
            }
            b.append(indent).append(e.name()).append(": ").append(yamlValue(e.defaultValue())).append('\n');
        }
        return b.toString();
    }

    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./-]*");

    private static String yamlValue(Object v) {
        return render(v, true);
    }

    private static String plain(Object v) {
        return render(v, false);
    }

    /** A value in YAML flow style; {@code quoted}: strings YAML would misread are double-quoted. */
    private static String render(Object v, boolean quoted) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(render(i, quoted)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            List<String> items = new ArrayList<>();
            map.forEach((k, val) -> items.add(render(k, quoted) + ": " + render(val, quoted)));
            return "{" + String.join(", ", items) + "}";
        }
        if (v instanceof String s && quoted) {
            boolean reserved = s.matches("(?i)true|false|null|yes|no|on|off|~|[-+]?[0-9][0-9_]*(\\.[0-9]*)?");
            return PLAIN_SCALAR.matcher(s).matches() && !reserved ? s : '"' + s.replace("\"", "\\\"") + '"';
        }
        return String.valueOf(v);
    }

    // ------------------------------------------------------------------ docs

    /** The full reference: one heading per setting with its type, default, limit and an example. */
    static String reference(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        String section = null;
        for (Entry e : entries) {
            String s = e.key().contains(".") ? e.key().substring(0, e.key().lastIndexOf('.')) : "";
            if (!s.equals(section)) {
                section = s;
                b.append("\n## ").append(s.isEmpty() ? "Top level" : "`" + s + "`").append("\n");
            }
            b.append("\n### `").append(e.key()).append("`\n\n")
                    .append("*").append(e.type()).append("* · default ").append(e.shownDefault()).append("\n\n")
                    .append(e.doc().value()).append("\n\n")
                    .append("**At the limit:** ").append(e.doc().limit()).append("\n\n")
                    .append("```yaml\n").append(example(e)).append("```\n");
        }
        return b.toString();
    }

    /** A short table of the settings under {@code prefix}: setting, type, default, at the limit. */
    static String table(List<Entry> entries, String prefix) {
        StringBuilder b = new StringBuilder("| setting | type | default | at the limit |\n|---|---|---|---|\n");
        for (Entry e : entries) {
            if (e.key().startsWith(prefix + ".")) {
                b.append("| `").append(e.key()).append("` | ").append(e.type().replace("|", "\\|")).append(" | ")
                        .append(e.shownDefault()).append(" | ").append(e.doc().limit().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return b.toString();
    }

    private static String example(Entry e) {
        String[] path = e.key().split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.length - 1; i++) {
            b.append("  ".repeat(i)).append(path[i]).append(":\n");
        }
        return b.append("  ".repeat(path.length - 1)).append(path[path.length - 1]).append(": ")
                .append(e.doc().example()).append('\n').toString();
    }

    private static String stripMarkdown(String s) {
        return s.replace("`", "");
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
