package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;

/** E.164 parsing of API input, answering 400 with the field named (dialling rules are policy's {@code NumberPlan}). */
public final class NumberInput {

    private NumberInput() {
    }

    /**
     * Normalises a phone number to E.164 ({@code +} and 8–15 digits). Spaces, dashes, dots and parentheses
     * are dropped. A bare 10-digit number is taken as NANP (+1). A leading space is read as '+', because an
     * unencoded '+' in a query string decodes to a space.
     *
     * @throws ApiException 400 naming {@code field}
     */
    public static String e164(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.validation(field, field + " is required");
        }
        String s = raw;
        if (s.startsWith(" ") && !s.isBlank() && Character.isDigit(s.strip().charAt(0))) {
            s = "+" + s.strip();
        }
        s = s.strip();
        StringBuilder d = new StringBuilder(16);
        boolean plus = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            } else if (c == '+' && i == 0) {
                plus = true;
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                throw ApiException.validation(field, field + " must be an E.164 number such as +15551234567");
            }
        }
        if (!plus && d.length() == 10) {
            d.insert(0, '1');
        } else if (!plus && !(d.length() == 11 && d.charAt(0) == '1')) {
            throw ApiException.validation(field, field + " must be an E.164 number such as +15551234567");
        }
        if (d.length() < 8 || d.length() > 15 || d.charAt(0) == '0') {
            throw ApiException.validation(field, field + " must be an E.164 number such as +15551234567");
        }
        return "+" + d;
    }
}
