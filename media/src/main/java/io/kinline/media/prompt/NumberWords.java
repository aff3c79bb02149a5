package io.kinline.media.prompt;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spells numbers, money, durations and digit strings as sequences of prompt names ({@code num-3},
 * {@code dollars}, ...) from {@code config/prompts/prompts.tsv}, following each language's grammar.
 *
 * <p>English uses American style without "and" inside numbers: 115 is "one hundred fifteen", 2024 is
 * "two thousand twenty four" (said as {@code num-20 num-4}; compound numbers are joined words, no
 * hyphenated recordings are needed).
 *
 * <p>Spanish needs more words because the language fuses them: 0–29 are single words (veintiuno),
 * 100 is "cien" but 101 is "ciento uno", hundreds 200–900 are single words (quinientos), and "uno"
 * shortens to "un" before a masculine noun (apocope): "un dólar", "veintiún minutos", "treinta y un
 * centavos", and always before "mil"/"millón": "veintiún mil", "un millón". All the nouns Kinline
 * says (dólar, centavo, minuto, segundo) are masculine, so the feminine "una" is never needed.
 *
 * <p>Languages other than Spanish ({@code es}, {@code es-*}) are spelled with the English rules.
 * Stateless and thread safe.
 */
public final class NumberWords {

    /** The largest magnitude spelled: just under a trillion ("nine hundred ... billion ..."). */
    public static final long MAX = 999_999_999_999L;

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private NumberWords() {
    }

    /** True when {@code language} is spelled with the Spanish rules. */
    public static boolean isSpanish(String language) {
        String l = language.toLowerCase(Locale.ROOT);
        return l.equals("es") || l.startsWith("es-") || l.startsWith("es_");
    }

    /** The number on its own, in {@code language}'s rules (no apocope: Spanish 21 is "veintiuno"). */
    public static List<String> words(String language, long n) {
        return isSpanish(language) ? es(n, false) : en(n);
    }

    /**
     * The number as it is said before a masculine noun: identical to {@link #words} in English,
     * apocopated in Spanish ("un", "veintiún", "treinta y un").
     */
    public static List<String> beforeNoun(String language, long n) {
        return isSpanish(language) ? es(n, true) : en(n);
    }

    // ---------------------------------------------------------------- English

    public static List<String> en(long n) {
        checkRange(n);
        List<String> out = new ArrayList<>();
        if (n < 0) {
            out.add("minus");
            n = -n;
        }
        if (n == 0) {
            out.add("num-0");
            return out;
        }
        long billions = n / 1_000_000_000L;
        long millions = n / 1_000_000L % 1000;
        long thousands = n / 1000 % 1000;
        int rest = (int) (n % 1000);
        if (billions > 0) {
            enBelow1000((int) billions, out);
            out.add("num-billion");
        }
        if (millions > 0) {
            enBelow1000((int) millions, out);
            out.add("num-million");
        }
        if (thousands > 0) {
            enBelow1000((int) thousands, out);
            out.add("num-thousand");
        }
        if (rest > 0) {
            enBelow1000(rest, out);
        }
        return out;
    }

    private static void enBelow1000(int n, List<String> out) {
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds > 0) {
            out.add("num-" + hundreds);
            out.add("num-hundred");
        }
        if (rest == 0) {
            return;
        }
        if (rest < 20) {
            out.add("num-" + rest);
        } else {
            out.add("num-" + (rest / 10 * 10));
            if (rest % 10 != 0) {
                out.add("num-" + rest % 10);
            }
        }
    }

    // ---------------------------------------------------------------- Spanish

    /** The number on its own in Spanish ("veintiuno", "ciento uno"). */
    public static List<String> es(long n) {
        return es(n, false);
    }

    /**
     * The number in Spanish; with {@code apocope} the final "uno" becomes "un" as it does before a
     * masculine noun ("veintiún dólares", "ciento un minutos").
     */
    public static List<String> es(long n, boolean apocope) {
        checkRange(n);
        List<String> out = new ArrayList<>();
        if (n < 0) {
            out.add("minus");
            n = -n;
        }
        if (n == 0) {
            out.add("num-0");
            return out;
        }
        // Spanish counts millions up to "novecientos noventa y nueve mil ... millones": there is no
        // everyday word for 10^9 ("mil millones"), so the millions count is itself spelled with "mil".
        long millions = n / 1_000_000L;
        int rest = (int) (n % 1_000_000L);
        if (millions == 1) {
            out.add("num-1-apocope");
            out.add("num-million");
        } else if (millions > 1) {
            esBelowMillion((int) millions, true, out);
            out.add("num-millions");
        }
        if (rest > 0) {
            esBelowMillion(rest, apocope, out);
        }
        return out;
    }

    private static void esBelowMillion(int n, boolean apocope, List<String> out) {
        int thousands = n / 1000;
        int rest = n % 1000;
        if (thousands == 1) {
            out.add("num-thousand"); // "mil", never "un mil"
        } else if (thousands > 1) {
            esBelow1000(thousands, true, out); // "veintiún mil", "ciento un mil"
            out.add("num-thousand");
        }
        if (rest > 0) {
            esBelow1000(rest, apocope, out);
        }
    }

    private static void esBelow1000(int n, boolean apocope, List<String> out) {
        if (n == 100) {
            out.add("num-100");
            return;
        }
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds == 1) {
            out.add("num-100-plus");
        } else if (hundreds > 1) {
            out.add("num-" + hundreds * 100);
        }
        if (rest == 0) {
            return;
        }
        if (rest < 30) {
            out.add(esUnit(rest, apocope));
        } else {
            out.add("num-" + (rest / 10 * 10));
            if (rest % 10 != 0) {
                out.add("and");
                out.add(esUnit(rest % 10, apocope));
            }
        }
    }

    private static String esUnit(int n, boolean apocope) {
        if (apocope && n == 1) {
            return "num-1-apocope";
        }
        if (apocope && n == 21) {
            return "num-21-apocope";
        }
        return "num-" + n;
    }

    // ---------------------------------------------------------------- phrases

    /**
     * An amount of money in dollars, rounded half-up to the cent: "three dollars and forty five
     * cents", "one dollar", "one cent", "zero dollars"; no dollars part under a dollar. Spanish:
     * "tres dólares con cuarenta y cinco centavos", "un millón de dólares".
     */
    public static List<String> money(String language, BigDecimal amount) {
        boolean es = isSpanish(language);
        BigDecimal rounded = amount.setScale(2, RoundingMode.HALF_UP);
        List<String> out = new ArrayList<>();
        if (rounded.signum() < 0) {
            out.add("minus");
            rounded = rounded.negate();
        }
        BigDecimal whole = rounded.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("amount " + amount + " is too large to speak");
        }
        long dollars = whole.longValueExact();
        int cents = rounded.subtract(whole).movePointRight(2).intValueExact();
        if (dollars == 0 && cents == 0) {
            out.add("num-0");
            out.add("dollars");
            return out;
        }
        if (dollars > 0) {
            out.addAll(beforeNoun(language, dollars));
            if (es && dollars % 1_000_000L == 0) {
                out.add("of"); // "un millón de dólares"
            }
            out.add(dollars == 1 ? "dollar" : "dollars");
        }
        if (cents > 0) {
            if (dollars > 0) {
                out.add("money-and");
            }
            out.addAll(beforeNoun(language, cents));
            out.add(cents == 1 ? "cent" : "cents");
        }
        return out;
    }

    /**
     * A price per unit (a per-minute rate) in dollars, exact to a hundredth of a cent: as {@link #money}
     * when it is a whole number of cents, otherwise the cents with their fraction digit by digit: "five
     * point seven five cents", "one dollar and two point five cents" (es "cinco punto siete cinco
     * centavos"). A rate is a disclosure, and rounding it to the cent would quote a price other than
     * the one charged. Rates are kept to four decimal places; anything finer is rounded half-up.
     */
    public static List<String> rate(String language, BigDecimal amount) {
        BigDecimal r = amount.setScale(4, RoundingMode.HALF_UP);
        if (r.signum() < 0) {
            throw new IllegalArgumentException("negative rate " + amount);
        }
        if (r.remainder(CENT).signum() == 0) {
            return money(language, r);
        }
        BigDecimal whole = r.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("rate " + amount + " is too large to speak");
        }
        long dollars = whole.longValueExact();
        BigDecimal cents = r.subtract(whole).movePointRight(2); // 5.75, 0.50
        long centsWhole = cents.setScale(0, RoundingMode.DOWN).longValueExact();
        String fraction = cents.subtract(BigDecimal.valueOf(centsWhole)).stripTrailingZeros().toPlainString();
        List<String> out = new ArrayList<>();
        if (dollars > 0) {
            out.addAll(beforeNoun(language, dollars));
            out.add(dollars == 1 ? "dollar" : "dollars");
            out.add("money-and");
        }
        out.addAll(words(language, centsWhole)); // not before the noun: "punto" comes between
        out.add("point");
        out.addAll(digits(fraction.substring(fraction.indexOf('.') + 1)));
        out.add("cents");
        return out;
    }

    /**
     * A duration rounded to the nearest second: in seconds under a minute ("forty five seconds"),
     * otherwise minutes with any leftover seconds ("one minute and thirty seconds", "ninety minutes").
     */
    public static List<String> duration(String language, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration " + d);
        }
        long seconds = d.plusMillis(500).getSeconds();
        if (seconds / 60 > MAX) {
            throw new IllegalArgumentException("duration " + d + " is too long to speak");
        }
        List<String> out = new ArrayList<>();
        if (seconds < 60) {
            out.addAll(beforeNoun(language, seconds));
            out.add(seconds == 1 ? "second" : "seconds");
            return out;
        }
        long minutes = seconds / 60;
        long rest = seconds % 60;
        out.addAll(beforeNoun(language, minutes));
        out.add(minutes == 1 ? "minute" : "minutes");
        if (rest > 0) {
            out.add("and");
            out.addAll(beforeNoun(language, rest));
            out.add(rest == 1 ? "second" : "seconds");
        }
        return out;
    }

    /**
     * A digit string read one digit at a time; {@code *} and {@code #} are "star" and "pound".
     * Punctuation people write in phone numbers (space, {@code - . ( ) +}) is skipped.
     *
     * @throws IllegalArgumentException on any other character
     */
    public static List<String> digits(String digits) {
        List<String> out = new ArrayList<>(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c >= '0' && c <= '9') {
                out.add("num-" + (c - '0'));
            } else if (c == '*') {
                out.add("star");
            } else if (c == '#') {
                out.add("pound");
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
                throw new IllegalArgumentException("cannot speak character '" + c + "' in digit string \""
                        + digits + "\"");
            }
        }
        return out;
    }

    private static void checkRange(long n) {
        if (n > MAX || n < -MAX) {
            throw new IllegalArgumentException(n + " is outside the speakable range ±" + MAX);
        }
    }
}
