package io.kinline.policy;

import java.util.Optional;
import java.util.Set;

/**
 * Normalizes what an inmate dialed (a Request-URI user part or IVR digits) to E.164 under North
 * American numbering rules, and classifies the destination.
 *
 * <p>Accepted forms, with or without visual separators ({@code space - . ( ) /}):
 * <ul>
 *   <li>{@code NPA-NXX-XXXX}, {@code 1-NPA-NXX-XXXX}, {@code +1-NPA-NXX-XXXX}</li>
 *   <li>{@code NXX-XXXX} (seven digits) when a home NPA is given</li>
 *   <li>{@code N11} and {@code 1-N11} service codes</li>
 *   <li>{@code 011-CC-...} and {@code +CC-...} international numbers (E.164: at most 15 digits)</li>
 * </ul>
 * NANP validity: NPA and NXX start with 2-9; an NPA may not be an N11 code nor have 9 as its middle
 * digit (reserved for expansion); an NXX may not be an N11 code. Anything else is invalid: the
 * inmate hears {@code number-invalid}.
 *
 * <p>Whether an international number may be called is policy, not syntax: it parses here and the
 * {@link DestinationRule} denies it where the facility does not allow international calls.
 */
public final class NumberPlan {

    /** Longest raw input considered; anything longer is refused before any parsing. */
    public static final int MAX_INPUT_LENGTH = 64;

    /**
     * Fewest digits of a number an INVITE's Request-URI may name: seven-digit local dialing. Anything
     * shorter is the switch's own access code (the handset dials {@code 1001} to reach the IVR) or a
     * service code, and the IVR asks the inmate for the number.
     */
    public static final int MIN_INVITE_DIGITS = 7;

    /** Most digits of a number an INVITE may name: {@code 011} and a 15-digit E.164 number. */
    public static final int MAX_INVITE_DIGITS = 18;

    private static final Set<String> TOLL_FREE_NPAS = Set.of("800", "833", "844", "855", "866", "877", "888");

    private NumberPlan() {
    }

    /** Parses without a home NPA: seven-digit numbers are invalid. */
    public static Optional<DialedNumber> parse(String raw) {
        return parse(raw, null);
    }

    /**
     * Parses and classifies a dialed number.
     *
     * @param raw     the dialed string; a {@code sip:} URI user part may carry separators and a leading +
     * @param homeNpa the facility's area code for seven-digit dialing, or null to refuse seven digits
     * @return the normalized number, or empty when it is not a valid number
     */
    public static Optional<DialedNumber> parse(String raw, String homeNpa) {
        String dial = dialString(raw);
        if (dial == null) {
            return Optional.empty();
        }
        boolean plus = dial.charAt(0) == '+';
        String d = plus ? dial.substring(1) : dial;
        if (plus) {
            return d.startsWith("1") ? nanp(d.substring(1)) : international(d);
        }
        if (d.startsWith("011")) {
            String rest = d.substring(3);
            // 011-1-NPA-NXX-XXXX is a NANP number dialed the long way round.
            return rest.startsWith("1") ? nanp(rest.substring(1)) : international(rest);
        }
        return switch (d.length()) {
            case 3 -> serviceCode(d);
            case 4 -> d.charAt(0) == '1' ? serviceCode(d.substring(1)) : Optional.empty();
            case 7 -> homeNpa != null && homeNpa.length() == 3 ? nanp(homeNpa + d) : Optional.empty();
            case 10 -> nanp(d);
            case 11 -> d.charAt(0) == '1' ? nanp(d.substring(1)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /**
     * What an INVITE's Request-URI user part dials, for the call script to {@link #parse} with the
     * facility's home NPA: the user without its visual separators when it has the form and length of a
     * number ({@value #MIN_INVITE_DIGITS} to {@value #MAX_INVITE_DIGITS} digits, a leading + allowed);
     * null when it is empty, not a dial string, or shorter (the switch's own access code such as
     * {@code 1001}, or a service code), and the IVR asks the inmate for the number instead. Whether the
     * string is a valid number is left to {@link #parse}: an invalid one is asked for again as well.
     *
     * @param user the Request-URI user part, may be null
     */
    public static String dialledInInvite(String user) {
        String dial = dialString(user);
        if (dial == null) {
            return null;
        }
        int digits = dial.charAt(0) == '+' ? dial.length() - 1 : dial.length();
        return digits >= MIN_INVITE_DIGITS && digits <= MAX_INVITE_DIGITS ? dial : null;
    }

    /**
     * The digits of a dial string with its leading + if it has one, its visual separators
     * ({@code space - . ( ) /}) removed; null when it is null, empty, too long, has no digits or has any
     * other character.
     */
    private static String dialString(String raw) {
        if (raw == null || raw.length() > MAX_INPUT_LENGTH) {
            return null;
        }
        StringBuilder digits = new StringBuilder(raw.length());
        boolean plus = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && digits.isEmpty() && !plus) {
                plus = true;
            } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
                // visual separator
            } else {
                return null;
            }
        }
        if (digits.isEmpty()) {
            return null;
        }
        return plus ? "+" + digits : digits.toString();
    }

    /** True when the three digits are an N11 code (211, 311, ..., 911). */
    public static boolean isN11(String three) {
        return three.length() == 3 && three.charAt(0) >= '2' && three.charAt(1) == '1' && three.charAt(2) == '1';
    }

    private static Optional<DialedNumber> serviceCode(String d) {
        if (!isN11(d)) {
            return Optional.empty();
        }
        return Optional.of(new DialedNumber(d, d.equals("411") ? Destination.DIRECTORY_ASSISTANCE : Destination.N11));
    }

    private static Optional<DialedNumber> nanp(String ten) {
        if (ten.length() != 10) {
            return Optional.empty();
        }
        String npa = ten.substring(0, 3);
        String nxx = ten.substring(3, 6);
        String line = ten.substring(6);
        if (npa.charAt(0) < '2' || npa.charAt(1) == '9' || isN11(npa)) {
            return Optional.empty();
        }
        if (nxx.charAt(0) < '2' || isN11(nxx)) {
            return Optional.empty();
        }
        Destination kind;
        if (TOLL_FREE_NPAS.contains(npa)) {
            kind = Destination.TOLL_FREE;
        } else if (npa.equals("900") || nxx.equals("976")) {
            kind = Destination.PREMIUM;
        } else if (nxx.equals("555") && line.equals("1212")) {
            kind = Destination.DIRECTORY_ASSISTANCE;
        } else {
            kind = Destination.ORDINARY;
        }
        return Optional.of(new DialedNumber("+1" + ten, kind));
    }

    private static Optional<DialedNumber> international(String ccAndNumber) {
        // E.164 allows at most 15 digits; the shortest real numbers (small islands) have about 7.
        if (ccAndNumber.length() < 7 || ccAndNumber.length() > 15 || ccAndNumber.charAt(0) == '0') {
            return Optional.empty();
        }
        return Optional.of(new DialedNumber("+" + ccAndNumber, Destination.INTERNATIONAL));
    }
}
