package io.kinline.media.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NumberWordsTest {

    private static List<String> l(String... names) {
        return List.of(names);
    }

    @Test
    void englishNumbers() {
        assertEquals(l("num-0"), NumberWords.en(0));
        assertEquals(l("num-1"), NumberWords.en(1));
        assertEquals(l("num-7"), NumberWords.en(7));
        assertEquals(l("num-13"), NumberWords.en(13));
        assertEquals(l("num-20"), NumberWords.en(20));
        assertEquals(l("num-20", "num-1"), NumberWords.en(21));
        assertEquals(l("num-30"), NumberWords.en(30));
        assertEquals(l("num-30", "num-1"), NumberWords.en(31));
        assertEquals(l("num-90", "num-9"), NumberWords.en(99));
        assertEquals(l("num-1", "num-hundred"), NumberWords.en(100));
        assertEquals(l("num-1", "num-hundred", "num-1"), NumberWords.en(101));
        assertEquals(l("num-1", "num-hundred", "num-15"), NumberWords.en(115));
        assertEquals(l("num-2", "num-hundred"), NumberWords.en(200));
        assertEquals(l("num-9", "num-hundred", "num-90", "num-9"), NumberWords.en(999));
        assertEquals(l("num-1", "num-thousand"), NumberWords.en(1000));
        assertEquals(l("num-1", "num-thousand", "num-1"), NumberWords.en(1001));
        assertEquals(l("num-2", "num-thousand", "num-20", "num-4"), NumberWords.en(2024));
        assertEquals(l("num-1", "num-million"), NumberWords.en(1_000_000));
        assertEquals(l("num-1", "num-billion", "num-2", "num-hundred", "num-30", "num-4", "num-million",
                "num-5", "num-hundred", "num-60", "num-7", "num-thousand", "num-8", "num-hundred", "num-90"),
                NumberWords.en(1_234_567_890L));
        assertEquals(l("minus", "num-40", "num-2"), NumberWords.en(-42));
    }

    @Test
    void spanishNumbers() {
        assertEquals(l("num-0"), NumberWords.es(0));
        assertEquals(l("num-1"), NumberWords.es(1));
        assertEquals(l("num-7"), NumberWords.es(7));
        assertEquals(l("num-13"), NumberWords.es(13));
        assertEquals(l("num-21"), NumberWords.es(21));
        assertEquals(l("num-29"), NumberWords.es(29));
        assertEquals(l("num-30"), NumberWords.es(30));
        assertEquals(l("num-30", "and", "num-1"), NumberWords.es(31));
        assertEquals(l("num-90", "and", "num-9"), NumberWords.es(99));
        assertEquals(l("num-100"), NumberWords.es(100));
        assertEquals(l("num-100-plus", "num-1"), NumberWords.es(101));
        assertEquals(l("num-100-plus", "num-15"), NumberWords.es(115));
        assertEquals(l("num-200"), NumberWords.es(200));
        assertEquals(l("num-500", "num-50"), NumberWords.es(550));
        assertEquals(l("num-900", "num-90", "and", "num-9"), NumberWords.es(999));
        assertEquals(l("num-thousand"), NumberWords.es(1000));
        assertEquals(l("num-thousand", "num-1"), NumberWords.es(1001));
        assertEquals(l("num-2", "num-thousand", "num-24"), NumberWords.es(2024));
        assertEquals(l("num-21-apocope", "num-thousand"), NumberWords.es(21_000));
        assertEquals(l("num-100-plus", "num-1-apocope", "num-thousand"), NumberWords.es(101_000));
        assertEquals(l("num-100", "num-thousand"), NumberWords.es(100_000));
        assertEquals(l("num-1-apocope", "num-million"), NumberWords.es(1_000_000));
        assertEquals(l("num-2", "num-millions"), NumberWords.es(2_000_000));
        assertEquals(l("num-21-apocope", "num-millions", "num-1"), NumberWords.es(21_000_001));
        assertEquals(l("num-thousand", "num-millions"), NumberWords.es(1_000_000_000L));
        assertEquals(l("minus", "num-5"), NumberWords.es(-5));
    }

    @Test
    void spanishApocopeBeforeNouns() {
        assertEquals(l("num-1-apocope"), NumberWords.es(1, true));
        assertEquals(l("num-21-apocope"), NumberWords.es(21, true));
        assertEquals(l("num-30", "and", "num-1-apocope"), NumberWords.es(31, true));
        assertEquals(l("num-100-plus", "num-1-apocope"), NumberWords.es(101, true));
        assertEquals(l("num-thousand", "num-1-apocope"), NumberWords.es(1001, true));
        assertEquals(l("num-11"), NumberWords.es(11, true));
        // English has no such thing.
        assertEquals(NumberWords.en(21), NumberWords.beforeNoun("en", 21));
        assertEquals(l("num-21-apocope"), NumberWords.beforeNoun("es-MX", 21));
    }

    @Test
    void outOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> NumberWords.en(NumberWords.MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> NumberWords.es(Long.MIN_VALUE));
        assertEquals(l("num-9", "num-hundred", "num-90", "num-9", "num-billion",
                "num-9", "num-hundred", "num-90", "num-9", "num-million",
                "num-9", "num-hundred", "num-90", "num-9", "num-thousand",
                "num-9", "num-hundred", "num-90", "num-9"), NumberWords.en(NumberWords.MAX));
    }

    @Test
    void money() {
        assertEquals(l("num-3", "dollars", "money-and", "num-40", "num-5", "cents"),
                NumberWords.money("en", new BigDecimal("3.45")));
        assertEquals(l("num-3", "dollars", "money-and", "num-40", "and", "num-5", "cents"),
                NumberWords.money("es", new BigDecimal("3.45")));
        assertEquals(l("num-1", "dollar"), NumberWords.money("en", new BigDecimal("1.00")));
        assertEquals(l("num-1-apocope", "dollar"), NumberWords.money("es", BigDecimal.ONE));
        assertEquals(l("num-1", "cent"), NumberWords.money("en", new BigDecimal("0.01")));
        assertEquals(l("num-1-apocope", "cent"), NumberWords.money("es", new BigDecimal("0.01")));
        assertEquals(l("num-40", "num-5", "cents"), NumberWords.money("en", new BigDecimal("0.45")));
        assertEquals(l("num-0", "dollars"), NumberWords.money("en", BigDecimal.ZERO));
        assertEquals(l("num-0", "dollars"), NumberWords.money("es", new BigDecimal("0.004")));
        assertEquals(l("num-3", "dollars"), NumberWords.money("en", new BigDecimal("2.999")));
        assertEquals(l("num-21-apocope", "dollars", "money-and", "num-30", "and", "num-1-apocope", "cents"),
                NumberWords.money("es", new BigDecimal("21.31")));
        assertEquals(l("num-1-apocope", "num-million", "of", "dollars"),
                NumberWords.money("es", new BigDecimal("1000000")));
        assertEquals(l("num-1", "num-million", "dollars"), NumberWords.money("en", new BigDecimal("1000000")));
        assertEquals(l("num-1", "num-thousand", "num-1", "dollars"), NumberWords.money("en", new BigDecimal("1001")));
        assertEquals(l("num-thousand", "num-1-apocope", "dollars"), NumberWords.money("es", new BigDecimal("1001")));
        assertEquals(l("minus", "num-2", "dollars"), NumberWords.money("en", new BigDecimal("-2")));
    }

    @Test
    void ratesAreSpokenToAHundredthOfACent() {
        // A rate is a disclosure: 5.75 cents must not be quoted as six.
        assertEquals(l("num-5", "point", "num-7", "num-5", "cents"), NumberWords.rate("en", new BigDecimal("0.0575")));
        assertEquals(l("num-5", "point", "num-7", "num-5", "cents"), NumberWords.rate("es", new BigDecimal("0.0575")));
        assertEquals(l("num-0", "point", "num-5", "cents"), NumberWords.rate("en", new BigDecimal("0.005")));
        assertEquals(l("num-1", "point", "num-0", "num-5", "cents"), NumberWords.rate("en", new BigDecimal("0.0105")));
        assertEquals(l("num-1", "dollar", "money-and", "num-2", "point", "num-5", "cents"),
                NumberWords.rate("en", new BigDecimal("1.025")));
        // not before the noun in Spanish: "uno punto cinco centavos"
        assertEquals(l("num-1", "point", "num-5", "cents"), NumberWords.rate("es", new BigDecimal("0.015")));
        // whole cents read as money; trailing zeros and finer digits do not make a fraction
        assertEquals(NumberWords.money("en", new BigDecimal("0.06")), NumberWords.rate("en", new BigDecimal("0.0600")));
        assertEquals(NumberWords.money("es", new BigDecimal("0.21")), NumberWords.rate("es", new BigDecimal("0.21")));
        assertEquals(l("num-6", "cents"), NumberWords.rate("en", new BigDecimal("0.060001")));
        assertEquals(l("num-0", "dollars"), NumberWords.rate("en", BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> NumberWords.rate("en", new BigDecimal("-0.01")));
    }

    @Test
    void durations() {
        assertEquals(l("num-1", "minute"), NumberWords.duration("en", Duration.ofMinutes(1)));
        assertEquals(l("num-5", "minutes"), NumberWords.duration("en", Duration.ofMinutes(5)));
        assertEquals(l("num-1", "minute", "and", "num-30", "seconds"), NumberWords.duration("en", Duration.ofSeconds(90)));
        assertEquals(l("num-40", "num-5", "seconds"), NumberWords.duration("en", Duration.ofSeconds(45)));
        assertEquals(l("num-1", "second"), NumberWords.duration("en", Duration.ofMillis(1400)));
        assertEquals(l("num-0", "seconds"), NumberWords.duration("en", Duration.ZERO));
        assertEquals(l("num-1", "minute"), NumberWords.duration("en", Duration.ofMillis(59_600)));
        assertEquals(l("num-90", "minutes"), NumberWords.duration("en", Duration.ofMinutes(90)));
        assertEquals(l("num-1-apocope", "minute"), NumberWords.duration("es", Duration.ofMinutes(1)));
        assertEquals(l("num-21-apocope", "minutes"), NumberWords.duration("es", Duration.ofMinutes(21)));
        assertEquals(l("num-1-apocope", "minute", "and", "num-1-apocope", "second"),
                NumberWords.duration("es", Duration.ofSeconds(61)));
        assertEquals(l("num-15", "minutes", "and", "num-30", "seconds"),
                NumberWords.duration("es", Duration.ofSeconds(930)));
        assertThrows(IllegalArgumentException.class, () -> NumberWords.duration("en", Duration.ofSeconds(-1)));
    }

    @Test
    void digits() {
        assertEquals(l("num-5", "num-5", "num-5", "num-0", "num-1", "num-2", "num-3", "pound"),
                NumberWords.digits("(555) 012-3#"));
        assertEquals(l("star", "num-9"), NumberWords.digits("*9"));
        assertEquals(l(), NumberWords.digits(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NumberWords.digits("12a"));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    /** Every word NumberWords can produce must exist in the prompt index for that language. */
    @Test
    void everyWordProducedIsInTheIndex() throws IOException {
        PromptIndex index;
        try (Reader r = Files.newBufferedReader(Path.of("..", "config", "prompts", "prompts.tsv"),
                StandardCharsets.UTF_8)) {
            index = PromptIndex.parse(r, "prompts.tsv");
        }
        for (String lang : List.of("en", "es")) {
            Set<String> have = new HashSet<>(index.names(lang));
            Set<String> used = new HashSet<>();
            for (long n = -5; n <= 2100; n++) {
                used.addAll(NumberWords.words(lang, n));
                used.addAll(NumberWords.beforeNoun(lang, n));
            }
            for (long n : new long[] {21_000, 101_000, 999_999, 1_000_000, 2_000_000, 21_000_001, 1_000_000_000L,
                    NumberWords.MAX}) {
                used.addAll(NumberWords.words(lang, n));
                used.addAll(NumberWords.beforeNoun(lang, n));
                used.addAll(NumberWords.money(lang, BigDecimal.valueOf(n)));
            }
            for (int c = 0; c < 200; c++) {
                used.addAll(NumberWords.money(lang, BigDecimal.valueOf(c, 2)));
                used.addAll(NumberWords.money(lang, BigDecimal.valueOf(100 + c, 2)));
            }
            for (int s = 0; s < 200; s++) {
                used.addAll(NumberWords.duration(lang, Duration.ofSeconds(s)));
            }
            used.addAll(NumberWords.digits("0123456789*#"));
            used.removeAll(have);
            assertTrue(used.isEmpty(), lang + " lacks prompts " + used);
        }
    }
}
