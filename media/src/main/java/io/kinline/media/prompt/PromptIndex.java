package io.kinline.media.prompt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prompt index {@code prompts.tsv}: one row per prompt name with its text in each language.
 *
 * <p>Format: UTF-8, TAB-separated; lines starting with {@code #} and blank lines are ignored; the first
 * other line is the header {@code name<TAB>en<TAB>es...} naming the languages; an empty cell means that
 * language has no such prompt. The index lets a jar-packed prompt set be loaded without listing
 * classpath directories, and tells tools what each prompt says.
 */
public final class PromptIndex {

    /** Refuse absurd files rather than reading them: far more than any real prompt set. */
    public static final int MAX_ROWS = 10_000;

    private final List<String> languages;
    private final Map<String, Map<String, String>> texts; // name -> language -> text (non-empty only)

    private PromptIndex(List<String> languages, Map<String, Map<String, String>> texts) {
        this.languages = List.copyOf(languages);
        this.texts = Collections.unmodifiableMap(texts);
    }

    /**
     * Parses an index.
     *
     * @param source names the input in error messages
     * @throws IOException on a read error or a malformed line (the message gives the line number)
     */
    public static PromptIndex parse(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<String> languages = null;
        Map<String, Map<String, String>> texts = new LinkedHashMap<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (languages == null) {
                if (!cells[0].equals("name") || cells.length < 2) {
                    throw new IOException(source + ":" + lineNo
                            + ": header must be 'name<TAB><language>...', found \"" + line + "\"");
                }
                languages = new ArrayList<>();
                for (int i = 1; i < cells.length; i++) {
                    languages.add(cells[i].strip());
                }
                continue;
            }
            String name = cells[0].strip();
            if (!validName(name)) {
                throw new IOException(source + ":" + lineNo + ": bad prompt name \"" + name
                        + "\" (use letters, digits, '-' and '_')");
            }
            if (cells.length > languages.size() + 1) {
                throw new IOException(source + ":" + lineNo + ": " + (cells.length - 1) + " text columns but "
                        + languages.size() + " languages in the header");
            }
            if (texts.containsKey(name)) {
                throw new IOException(source + ":" + lineNo + ": prompt \"" + name + "\" is listed twice");
            }
            if (texts.size() >= MAX_ROWS) {
                throw new IOException(source + ": more than " + MAX_ROWS + " prompts");
            }
            Map<String, String> byLanguage = new LinkedHashMap<>();
            for (int i = 1; i < cells.length; i++) {
                String text = cells[i].strip();
                if (!text.isEmpty()) {
                    byLanguage.put(languages.get(i - 1), text);
                }
            }
            texts.put(name, Collections.unmodifiableMap(byLanguage));
        }
        if (languages == null) {
            throw new IOException(source + ": no header line");
        }
        return new PromptIndex(languages, texts);
    }

    /** A prompt name is also a file name, so it is kept to a safe alphabet. */
    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > 100) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The languages of the header, in order. */
    public List<String> languages() {
        return languages;
    }

    /** Every prompt name, in file order. */
    public List<String> names() {
        return List.copyOf(texts.keySet());
    }

    /** The names that have text in {@code language}. */
    public List<String> names(String language) {
        List<String> out = new ArrayList<>();
        texts.forEach((name, byLanguage) -> {
            if (byLanguage.containsKey(language)) {
                out.add(name);
            }
        });
        return out;
    }

    /** What the prompt says in that language, if the index has it. */
    public Optional<String> text(String name, String language) {
        Map<String, String> byLanguage = texts.get(name);
        return byLanguage == null ? Optional.empty() : Optional.ofNullable(byLanguage.get(language));
    }
}
