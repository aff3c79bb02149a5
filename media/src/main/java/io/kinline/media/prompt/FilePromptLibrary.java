package io.kinline.media.prompt;

import io.kinline.media.tones.CallProgressTone;
import io.kinline.media.tones.Sines;
import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PromptLibrary} of WAV files laid out as {@code <root>/<language>/<name>.wav}, all loaded and
 * pre-encoded at start so that playing a prompt never touches the disk or a codec.
 *
 * <p>Prompts must be 8 kHz mono (16-bit PCM; μ-law and A-law WAVs are accepted too since they are the
 * same audio): anything else fails the load with a {@link WavException} naming the file, because a
 * wrong recording discovered at start is better than silence on a call.
 *
 * <p>Three sources: a directory ({@link #load(Path, String)}), the classpath
 * ({@link #loadFromClasspath(String, String)}, for the copy packed in the switch jar under
 * {@code kinline-config/prompts}, found through its {@code prompts.tsv} index since jar directories
 * cannot be listed), and an override directory layered on top ({@link #withOverrides(Path)}) where a
 * facility puts human recordings under the same names.
 *
 * <p>Thread safe: the prompt maps are immutable after load; the caches of generated audio and of
 * {@link Playlist.FileRef} files are concurrent.
 */
public final class FilePromptLibrary implements PromptLibrary {

    private static final Logger log = LoggerFactory.getLogger(FilePromptLibrary.class);

    /** The file name of the prompt index inside a prompt root. */
    public static final String INDEX = "prompts.tsv";

    /** The classpath root of the prompts packed in the switch jar. */
    public static final String CLASSPATH_ROOT = "kinline-config/prompts";

    /** Longest generated silence or tone: longer ones are almost certainly a unit mistake (s vs ms). */
    public static final int MAX_GENERATED_MILLIS = 60_000;

    /** Peak amplitude of generated tones: -12 dBFS, loud and clear without clipping the G.711 range. */
    static final double TONE_AMPLITUDE = 32767 * Math.pow(10, -12 / 20.0);

    /** Fade in and out of generated tones, so they start and stop without a click. */
    private static final int TONE_RAMP_SAMPLES = 40; // 5 ms

    /**
     * The call-progress tones, one cadence cycle each, built when the class loads: a few hundred KiB,
     * and a ringing call then never waits for (or repeats) the synthesis.
     */
    private static final Map<CallProgressTone, Prompt> CALL_PROGRESS;

    static {
        Map<CallProgressTone, Prompt> m = new EnumMap<>(CallProgressTone.class);
        for (CallProgressTone t : CallProgressTone.values()) {
            m.put(t, new Prompt("", t.key(), t.cycle()));
        }
        CALL_PROGRESS = Collections.unmodifiableMap(m);
    }

    /** How many {@link Playlist.FileRef} files (recorded names) are kept decoded. */
    static final int FILE_CACHE_SIZE = 512;

    private final Map<String, Map<String, Prompt>> prompts; // language -> name -> prompt
    private final String defaultLanguage;
    private final Map<Integer, Prompt> silences = new ConcurrentHashMap<>();
    private final Map<Long, Prompt> tones = new ConcurrentHashMap<>();
    private final Map<Path, CachedFile> files = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, CachedFile> eldest) {
                    return size() > FILE_CACHE_SIZE;
                }
            });

    private record CachedFile(long modifiedMillis, long size, Prompt prompt) {
    }

    private FilePromptLibrary(Map<String, Map<String, Prompt>> prompts, String defaultLanguage) {
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        if (!prompts.containsKey(defaultLanguage)) {
            throw new IllegalArgumentException("default language '" + defaultLanguage
                    + "' has no prompts; languages found: " + prompts.keySet());
        }
        Map<String, Map<String, Prompt>> copy = new TreeMap<>();
        prompts.forEach((lang, byName) -> copy.put(lang, Map.copyOf(byName)));
        this.prompts = Collections.unmodifiableMap(copy);
        this.defaultLanguage = defaultLanguage;
    }

    // ---------------------------------------------------------------- loading

    /**
     * Loads every {@code <dir>/<language>/<name>.wav}. Each sub-directory is a language; other files
     * (the index, the generator script, a README) are ignored.
     *
     * @throws WavException naming the file when a WAV is not 8 kHz mono or is empty
     * @throws IllegalArgumentException when the default language has no prompts
     */
    public static FilePromptLibrary load(Path dir, String defaultLanguage) throws IOException {
        Map<String, Map<String, Prompt>> prompts = new HashMap<>();
        loadDirectory(dir, prompts);
        FilePromptLibrary lib = new FilePromptLibrary(prompts, defaultLanguage);
        log.info("Loaded {} prompts from {} (languages {}, default {})", lib.count(), dir, lib.languages(),
                defaultLanguage);
        return lib;
    }

    /** {@link #loadFromClasspath(ClassLoader, String, String)} with this class's class loader. */
    public static FilePromptLibrary loadFromClasspath(String root, String defaultLanguage) throws IOException {
        return loadFromClasspath(FilePromptLibrary.class.getClassLoader(), root, defaultLanguage);
    }

    /**
     * Loads the prompts packed on the classpath under {@code root} (normally {@link #CLASSPATH_ROOT}).
     * The names come from {@code <root>/prompts.tsv}: for every name and every language of its header,
     * {@code <root>/<language>/<name>.wav} is loaded. A file the index gives text for must exist (a
     * missing one is a packaging mistake); a file for an empty cell is loaded if present.
     */
    public static FilePromptLibrary loadFromClasspath(ClassLoader loader, String root, String defaultLanguage)
            throws IOException {
        String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        String indexPath = base + "/" + INDEX;
        PromptIndex index;
        try (InputStream in = loader.getResourceAsStream(indexPath)) {
            if (in == null) {
                throw new NoSuchFileException("classpath:" + indexPath);
            }
            index = PromptIndex.parse(new InputStreamReader(in, StandardCharsets.UTF_8), "classpath:" + indexPath);
        }
        Map<String, Map<String, Prompt>> prompts = new HashMap<>();
        for (String lang : index.languages()) {
            for (String name : index.names()) {
                String path = base + "/" + lang + "/" + name + ".wav";
                try (InputStream in = loader.getResourceAsStream(path)) {
                    if (in == null) {
                        if (index.text(name, lang).isPresent()) {
                            throw new NoSuchFileException("classpath:" + path,  null,
                                    "listed in " + INDEX + " but not packaged");
                        }
                        continue;
                    }
                    prompts.computeIfAbsent(lang, l -> new HashMap<>())
                            .put(name, decode(lang, name, in.readAllBytes(), "classpath:" + path));
                }
            }
        }
        FilePromptLibrary lib = new FilePromptLibrary(prompts, defaultLanguage);
        log.info("Loaded {} prompts from classpath:{} (languages {}, default {})", lib.count(), base,
                lib.languages(), defaultLanguage);
        return lib;
    }

    /**
     * A library with the prompts of {@code dir} ({@code <dir>/<language>/<name>.wav}) replacing or adding
     * to this one's: how a facility swaps a synthetic prompt for a human recording, or adds a language.
     * This library is not changed.
     */
    public FilePromptLibrary withOverrides(Path dir) throws IOException {
        Map<String, Map<String, Prompt>> merged = new HashMap<>();
        prompts.forEach((lang, byName) -> merged.put(lang, new HashMap<>(byName)));
        Map<String, Map<String, Prompt>> overrides = new HashMap<>();
        loadDirectory(dir, overrides);
        int n = 0;
        for (var e : overrides.entrySet()) {
            merged.computeIfAbsent(e.getKey(), l -> new HashMap<>()).putAll(e.getValue());
            n += e.getValue().size();
        }
        log.info("Applied {} prompt overrides from {}", n, dir);
        return new FilePromptLibrary(merged, defaultLanguage);
    }

    private static void loadDirectory(Path dir, Map<String, Map<String, Prompt>> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a prompt directory");
        }
        try (DirectoryStream<Path> langs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path langDir : langs) {
                String lang = langDir.getFileName().toString();
                try (DirectoryStream<Path> wavs = Files.newDirectoryStream(langDir, "*.wav")) {
                    for (Path wav : wavs) {
                        String file = wav.getFileName().toString();
                        String name = file.substring(0, file.length() - ".wav".length());
                        if (!PromptIndex.validName(name)) {
                            log.warn("Ignoring {}: prompt names use letters, digits, '-' and '_'", wav);
                            continue;
                        }
                        into.computeIfAbsent(lang, l -> new HashMap<>()).put(name, readPrompt(lang, name, wav));
                    }
                }
            }
        }
    }

    private static Prompt readPrompt(String lang, String name, Path wav) throws IOException {
        long size = Files.size(wav);
        if (size > WavReader.MAX_BYTES) {
            throw new WavException(wav + ": file is " + size + " bytes, larger than the " + WavReader.MAX_BYTES
                    + " byte limit");
        }
        return decode(lang, name, Files.readAllBytes(wav), wav.toString());
    }

    private static Prompt decode(String lang, String name, byte[] data, String source) throws WavException {
        WavReader.Audio audio = WavReader.read(data, source);
        if (audio.channels() != 1) {
            throw new WavException(source + ": " + audio.channels()
                    + " channels; prompts must be mono (8 kHz, 16-bit PCM)");
        }
        if (audio.samples().length == 0) {
            throw new WavException(source + ": contains no audio");
        }
        return new Prompt(lang, name, audio.samples());
    }

    // ---------------------------------------------------------------- lookup

    public String defaultLanguage() {
        return defaultLanguage;
    }

    /** The number of loaded prompts over all languages. */
    public int count() {
        int n = 0;
        for (Map<String, Prompt> byName : prompts.values()) {
            n += byName.size();
        }
        return n;
    }

    /** The prompt names of one language (empty for an unknown language). */
    public Set<String> names(String language) {
        Map<String, Prompt> byName = prompts.get(language);
        return byName == null ? Set.of() : byName.keySet();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the prompt when neither language has it
     */
    @Override
    public Prompt prompt(String language, String name) {
        Map<String, Prompt> byName = prompts.get(language);
        Prompt p = byName == null ? null : byName.get(name);
        if (p == null) {
            p = prompts.get(defaultLanguage).get(name);
            if (p == null) {
                throw new IllegalArgumentException("no prompt '" + name + "' in language '" + language
                        + "' nor in the default language '" + defaultLanguage + "'");
            }
            log.debug("Prompt {} missing in {}, using {}", name, language, defaultLanguage);
        }
        return p;
    }

    /** Whether {@code language} itself has the prompt (no fallback). */
    @Override
    public boolean has(String language, String name) {
        Map<String, Prompt> byName = prompts.get(language);
        return byName != null && byName.containsKey(name);
    }

    @Override
    public Set<String> languages() {
        return prompts.keySet();
    }

    // ---------------------------------------------------------------- resolution

    /**
     * {@inheritDoc}
     *
     * <p>Numbers, money and durations are spelled by {@link NumberWords} in the playlist's language, or
     * in the default language when the library has no prompts at all for the playlist's language.
     *
     * @throws IllegalArgumentException when a prompt is missing in both languages, a number is out of
     *     range, or a generated silence/tone/call-progress tone is out of bounds
     * @throws UncheckedIOException when a {@link Playlist.FileRef} cannot be read or is not 8 kHz mono
     */
    @Override
    public List<Prompt> resolve(Playlist playlist) {
        String lang = playlist.language();
        String wordLang = prompts.containsKey(lang) ? lang : defaultLanguage;
        List<Prompt> out = new ArrayList<>(playlist.segments().size() * 2);
        for (Playlist.Segment s : playlist.segments()) {
            switch (s) {
                case Playlist.PromptRef r -> out.add(prompt(lang, r.name()));
                case Playlist.FileRef f -> out.add(file(lang, f.file()));
                case Playlist.Number n -> words(wordLang, NumberWords.words(wordLang, n.value()), out);
                case Playlist.Money m -> words(wordLang, NumberWords.money(wordLang, m.amount()), out);
                case Playlist.Rate r -> words(wordLang, NumberWords.rate(wordLang, r.amount()), out);
                case Playlist.Span d -> words(wordLang, NumberWords.duration(wordLang, d.duration()), out);
                case Playlist.Digits d -> words(wordLang, NumberWords.digits(d.digits()), out);
                case Playlist.Silence z -> out.add(silence(z.millis()));
                case Playlist.Tone t -> out.add(tone(t.frequencyHz(), t.millis()));
                case Playlist.CallProgress c -> callProgress(c, out);
            }
        }
        return List.copyOf(out);
    }

    private void words(String lang, List<String> names, List<Prompt> out) {
        for (String name : names) {
            out.add(prompt(lang, name));
        }
    }

    /** A silent prompt, cached per length. */
    public Prompt silence(int millis) {
        checkGenerated(millis, "silence");
        return silences.computeIfAbsent(millis, ms -> new Prompt("", "silence-" + ms + "ms", new short[ms * 8]));
    }

    /** A sine tone at -12 dBFS with 5 ms fades, cached per frequency and length. */
    public Prompt tone(int frequencyHz, int millis) {
        checkGenerated(millis, "tone");
        if (frequencyHz <= 0 || frequencyHz >= 4000) {
            throw new IllegalArgumentException("tone frequency " + frequencyHz
                    + " Hz is outside 1-3999 Hz (8 kHz audio)");
        }
        long key = (long) frequencyHz << 32 | millis;
        return tones.computeIfAbsent(key, k -> new Prompt("", "tone-" + frequencyHz + "hz-" + millis + "ms",
                Sines.write(new short[millis * 8], millis * 8, TONE_AMPLITUDE, TONE_RAMP_SAMPLES, frequencyHz)));
    }

    /**
     * One cadence cycle of a call-progress tone, generated and encoded for every codec once per JVM:
     * the same instance for every call and every library.
     */
    public Prompt callProgress(CallProgressTone tone) {
        return CALL_PROGRESS.get(tone);
    }

    private void callProgress(Playlist.CallProgress c, List<Prompt> out) {
        if (c.cycles() < 1 || (long) c.cycles() * c.tone().cycleMillis() > MAX_GENERATED_MILLIS) {
            throw new IllegalArgumentException(c.tone().key() + " for " + c.cycles() + " cycles of "
                    + c.tone().cycleMillis() + " ms is outside 1 cycle to " + MAX_GENERATED_MILLIS + " ms");
        }
        Prompt cycle = callProgress(c.tone());
        for (int i = 0; i < c.cycles(); i++) {
            out.add(cycle);
        }
    }

    private static void checkGenerated(int millis, String what) {
        if (millis < 0 || millis > MAX_GENERATED_MILLIS) {
            throw new IllegalArgumentException(what + " of " + millis + " ms is outside 0-" + MAX_GENERATED_MILLIS
                    + " ms");
        }
    }

    /**
     * A WAV file outside the library (a caller's recorded name), decoded once and cached by path until
     * its modification time or size changes.
     */
    public Prompt file(String language, Path file) {
        Path key = file.toAbsolutePath().normalize();
        try {
            BasicFileAttributes attrs = Files.readAttributes(key, BasicFileAttributes.class);
            long mtime = attrs.lastModifiedTime().toMillis();
            CachedFile cached = files.get(key);
            if (cached != null && cached.modifiedMillis() == mtime && cached.size() == attrs.size()) {
                return cached.prompt();
            }
            String fileName = key.getFileName().toString();
            String name = fileName.endsWith(".wav") ? fileName.substring(0, fileName.length() - 4) : fileName;
            Prompt p = readPrompt(language, name, key);
            files.put(key, new CachedFile(mtime, attrs.size(), p));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot play " + file + ": " + e.getMessage(), e);
        }
    }
}
