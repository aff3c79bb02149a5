package io.kinline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link KinlineConfig} is the one source of truth for configuration; this test fails when anything
 * written from it drifts: {@code config/kinline.yaml}, the generated blocks in the docs
 * ({@code <!-- settings:reference -->}, {@code <!-- settings:table sip -->} ... {@code <!-- /settings -->}),
 * and any docs table with a "default" column that names a setting.
 *
 * <p>To rewrite the generated parts after changing a setting, run it with {@code -Dkinline.updateDocs=true}:
 * {@code mvn -B -ntp -q -pl switch -am test -Dtest=SettingsDocTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkinline.updateDocs=true}.
 */
class SettingsDocTest {

    private static final boolean UPDATE = Boolean.getBoolean("kinline.updateDocs");
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- settings:(\\w+)(?: ([\\w.]+))? -->\\n)(.*?)(<!-- /settings -->)", Pattern.DOTALL);
    private static final Pattern KEY_IN_CELL = Pattern.compile("`([a-zA-Z]+(?:\\.[a-zA-Z]+)+)`");

    private final List<SettingsDoc.Entry> catalogue = SettingsDoc.catalogue();
    private final Map<String, SettingsDoc.Entry> byKey = catalogue.stream()
            .collect(Collectors.toMap(SettingsDoc.Entry::key, Function.identity()));

    @Test
    void everySettingIsDocumentedWithItsLimitAndAnExample() {
        assertTrue(catalogue.size() > 40, "the catalogue found only " + catalogue.size() + " settings");
        for (SettingsDoc.Entry e : catalogue) {
            assertFalse(e.doc().value().isBlank(), e.key() + ": says nothing about what it does");
            assertFalse(e.doc().limit().isBlank(), e.key() + ": says nothing about its limit");
            assertFalse(e.doc().example().isBlank(), e.key() + ": has no example");
            if (e.defaultValue() == null) {
                assertFalse(e.doc().unset().isBlank(), e.key() + ": defaults to unset but does not say what that means");
            }
        }
    }

    @Test
    void theSampleYamlIsTheCatalogueAndLoadsToTheDefaults() throws Exception {
        Path yaml = root().resolve("config/kinline.yaml");
        String expected = SettingsDoc.yaml(catalogue);
        check(yaml, expected);
        KinlineConfig loaded = KinlineConfig.load(yaml);
        for (SettingsDoc.Entry e : SettingsDoc.catalogue()) {
            assertEquals(e.defaultValue(), valueOf(loaded, e.key()),
                    "config/kinline.yaml gives " + e.key() + " another value than its default");
        }
    }

    @Test
    void theGeneratedBlocksInTheDocsMatchTheCatalogue() throws IOException {
        int blocks = 0;
        for (Path doc : docs()) {
            String text = Files.readString(doc);
            Matcher m = BLOCK.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                blocks++;
                String body = switch (m.group(2)) {
                    case "reference" -> SettingsDoc.reference(catalogue);
                    case "table" -> SettingsDoc.table(catalogue, m.group(3));
                    default -> throw new AssertionError(doc + ": unknown settings block " + m.group(2));
                };
                if (m.group(2).equals("table") && !body.contains("`" + m.group(3) + ".")) {
                    fail(doc + ": settings table for '" + m.group(3) + "', which names no setting");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + body + m.group(5)));
            }
            m.appendTail(out);
            check(doc, out.toString());
        }
        assertTrue(blocks >= 3, "expected the reference and the sip and media tables, found " + blocks + " blocks");
    }

    @Test
    void docsTablesWithADefaultColumnAgreeWithTheCatalogue() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            int defaultColumn = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.startsWith("|")) {
                    defaultColumn = -1;
                    continue;
                }
                List<String> cells = cells(line);
                if (defaultColumn < 0) {
                    defaultColumn = indexOfDefault(cells); // a header row (or a table without one)
                    continue;
                }
                if (line.matches("\\|[-| :]+\\|") || defaultColumn >= cells.size()) {
                    continue;
                }
                for (String cell : cells) {
                    Matcher k = KEY_IN_CELL.matcher(cell);
                    while (k.find()) {
                        SettingsDoc.Entry e = byKey.get(k.group(1));
                        if (e == null) {
                            continue;
                        }
                        checked++;
                        String shown = cells.get(defaultColumn).replace("`", "").trim();
                        if (!shown.equals(e.plainDefault())) {
                            problems.add(doc.getFileName() + ":" + (i + 1) + ": " + e.key() + " default shown as '"
                                    + shown + "', but it is '" + e.plainDefault() + "'");
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked > 30, "only " + checked + " table rows named a setting; the tables moved?");
    }

    private static int indexOfDefault(List<String> header) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase("default")) {
                return i;
            }
        }
        return Integer.MAX_VALUE; // a table, but not one with defaults: skip its rows
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                out.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString().trim());
        return out;
    }

    private static Object valueOf(KinlineConfig cfg, String key) throws ReflectiveOperationException {
        Object o = cfg;
        for (String part : key.split("\\.")) {
            o = o.getClass().getField(part).get(o);
        }
        return o;
    }

    private static void check(Path file, String expected) throws IOException {
        String actual = Files.readString(file);
        if (actual.equals(expected)) {
            return;
        }
        if (UPDATE) {
            Files.writeString(file, expected);
            return;
        }
        assertEquals(expected, actual, file + " drifted from io.kinline.config.KinlineConfig; rerun with "
                + "-Dkinline.updateDocs=true to regenerate it");
    }

    private static List<Path> docs() throws IOException {
        Path root = root();
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            out.add(root.resolve("README.md"));
            return out;
        }
    }

    /** The repository root: tests run in the module directory. */
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
