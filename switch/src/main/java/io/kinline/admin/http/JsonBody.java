package io.kinline.admin.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.kinline.log.SafeText;

/**
 * A request's JSON object body with typed, validating accessors. Every accessor names the field in its
 * 400 error. Fields read are remembered so {@link #finish()} can reject unknown (likely misspelt) fields
 * instead of silently ignoring them.
 */
public final class JsonBody {

    private final ObjectNode root;
    private final String prefix;
    private final Set<String> seen = new LinkedHashSet<>();

    private JsonBody(ObjectNode root, String prefix) {
        this.root = root;
        this.prefix = prefix;
    }

    /**
     * Parses a body that must be a JSON object. Every number is first checked as text ({@link #NUMBER}):
     * the tree would hold {@code 1e999999999} as a tiny BigDecimal that a later {@code toPlainString()} or
     * {@code intValue()} expands into gigabytes, so no number with an exponent or too many digits gets that
     * far. Parse errors are described in our own words: Jackson's messages name its classes and features.
     */
    public static JsonBody parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.malformed("a JSON object body is required");
        }
        JsonNode node;
        try {
            checkNumbers(body);
            node = Json.mapper().readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.malformed("the JSON nests too deeply or holds a value that is too long");
        } catch (JacksonException e) {
            throw ApiException.malformed(describe(e));
        } catch (IOException e) {
            throw ApiException.malformed("unreadable body");
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.malformed("a JSON object body is required");
        }
        if (!node.isObject()) {
            throw ApiException.malformed("the body must be a JSON object");
        }
        return new JsonBody((ObjectNode) node, "");
    }

    /**
     * A JSON number as the API accepts it: no exponent, at most 15 digits before the point and 8 after.
     * Amounts and rates are strings anyway; numbers are counts and limits.
     */
    static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,8})?");

    /** One pass over the tokens, reading each number's text only (the parser converts nothing until asked). */
    private static void checkNumbers(byte[] body) throws IOException {
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            JsonToken t;
            while ((t = next(p)) != null) {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    if (p.getTextLength() > 32 || !NUMBER.matcher(p.getText()).matches()) {
                        String field = fieldOf(p.getParsingContext());
                        throw ApiException.validation(field, (field == null ? "a number" : field)
                                + " must be a plain decimal number: no exponent, at most 15 digits before the"
                                + " point and 8 after");
                    }
                }
            }
        }
    }

    /** The next token; a number longer than the parser's cap is refused naming its field. */
    private static JsonToken next(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (StreamConstraintsException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Number value length")) {
                String field = fieldOf(p.getParsingContext());
                throw ApiException.validation(field, (field == null ? "a number" : field)
                        + " must be a plain decimal number: no exponent, at most 15 digits before the"
                        + " point and 8 after");
            }
            throw e;
        }
    }

    /** {@code phoneHours.start} for a value inside nested objects; array positions are left out. */
    private static String fieldOf(JsonStreamContext ctx) {
        StringBuilder b = new StringBuilder();
        for (JsonStreamContext c = ctx; c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                b.insert(0, b.isEmpty() ? c.getCurrentName() : c.getCurrentName() + ".");
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:Object property|field) [\"'](.{0,200})[\"']");

    /** What was wrong and where, without Jackson's vocabulary. */
    private static String describe(JacksonException e) {
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher dup = DUPLICATE.matcher(msg);
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        if (dup.find()) {
            return "malformed JSON: the field \"" + dup.group(1) + "\" is given more than once" + where;
        }
        if (msg.startsWith("Unexpected end-of-input")) {
            return "malformed JSON: the body ends too early" + where;
        }
        return "malformed JSON" + where;
    }

    public static JsonBody of(ObjectNode node) {
        return new JsonBody(node, "");
    }

    private String name(String field) {
        return prefix + field;
    }

    /** The field's name as errors report it, e.g. {@code phoneHours.start} in a nested object. */
    public String qualified(String field) {
        return prefix + field;
    }

    /** True if the field is present (even if null). */
    public boolean has(String field) {
        seen.add(field);
        return root.has(field);
    }

    /** True if the field is present and JSON null (PATCH: clear the value). */
    public boolean isNull(String field) {
        seen.add(field);
        return root.has(field) && root.get(field).isNull();
    }

    private JsonNode get(String field) {
        seen.add(field);
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n;
    }

    public String requiredText(String field) {
        return optionalText(field).orElseThrow(() -> missing(field));
    }

    /** A non-empty string of at most 200 characters (names, labels, ids). */
    public Optional<String> optionalText(String field) {
        return optionalText(field, 200);
    }

    /** A non-empty string of at most {@code maxLength} characters. */
    public Optional<String> optionalText(String field, int maxLength) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ApiException.validation(name(field), name(field) + " must be a string");
        }
        String s = n.textValue().strip();
        if (SafeText.firstUnsafe(s) >= 0) {
            throw ApiException.validation(name(field), name(field)
                    + " must not contain control characters, line separators or bidirectional-text controls");
        }
        if (s.isEmpty()) {
            throw ApiException.validation(name(field), name(field) + " must not be empty");
        }
        if (s.length() > maxLength) {
            throw ApiException.validation(name(field), name(field) + " is too long (max " + maxLength + " characters)");
        }
        return Optional.of(s);
    }

    public boolean requiredBoolean(String field) {
        return optionalBoolean(field).orElseThrow(() -> missing(field));
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw ApiException.validation(name(field), name(field) + " must be true or false");
        }
        return Optional.of(n.booleanValue());
    }

    public int requiredInt(String field, int min, int max) {
        return optionalInt(field, min, max).orElseThrow(() -> missing(field));
    }

    public Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.validation(name(field), name(field) + " must be an integer");
        }
        int v = n.intValue();
        if (v < min || v > max) {
            throw ApiException.validation(name(field),
                    name(field) + " must be between " + min + " and " + max);
        }
        return Optional.of(v);
    }

    /**
     * A money amount: a decimal string like {@code "10.00"} (a JSON number is tolerated), positive or zero as
     * allowed, at most 2 decimals, at most {@code max}.
     */
    public Optional<BigDecimal> optionalAmount(String field, BigDecimal min, BigDecimal max, int maxScale) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        String text;
        if (n.isTextual()) {
            text = n.textValue().strip();
        } else if (n.isNumber()) {
            // Bounded: parse() let through only short plain numbers (no exponent), so this cannot expand.
            text = n.decimalValue().toPlainString();
        } else {
            throw ApiException.validation(name(field), name(field) + " must be a decimal string such as \"10.00\"");
        }
        if (text.length() > 20 || !text.matches("[0-9]{1,9}(\\.[0-9]{1," + maxScale + "})?")) {
            throw ApiException.validation(name(field), name(field)
                    + " must be a non-negative decimal with at most " + maxScale + " decimals, e.g. \"10.00\"");
        }
        BigDecimal v = new BigDecimal(text);
        if (v.compareTo(min) < 0) {
            throw ApiException.validation(name(field), name(field) + " must be at least " + min.toPlainString());
        }
        if (v.compareTo(max) > 0) {
            throw ApiException.validation(name(field), name(field) + " must be at most " + max.toPlainString());
        }
        return Optional.of(v);
    }

    public BigDecimal requiredAmount(String field, BigDecimal min, BigDecimal max, int maxScale) {
        return optionalAmount(field, min, max, maxScale).orElseThrow(() -> missing(field));
    }

    /** A nested object, with field names in errors prefixed by {@code field.}. */
    public Optional<JsonBody> optionalObject(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw ApiException.validation(name(field), name(field) + " must be an object");
        }
        return Optional.of(new JsonBody((ObjectNode) n, name(field) + "."));
    }

    /** Raw access for free-form values; marks the field as known. */
    public Optional<JsonNode> optionalNode(String field) {
        return Optional.ofNullable(get(field));
    }

    public ApiException missing(String field) {
        return ApiException.validation(name(field), name(field) + " is required");
    }

    public ApiException invalid(String field, String detail) {
        return ApiException.validation(name(field), name(field) + " " + detail);
    }

    /** Rejects fields no accessor asked about. Call after reading everything. */
    public void finish() {
        var it = root.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!seen.contains(f)) {
                throw ApiException.validation(name(f), "unknown field " + name(f));
            }
        }
    }
}
