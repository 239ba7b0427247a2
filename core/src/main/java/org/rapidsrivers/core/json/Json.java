package org.rapidsrivers.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands how JSON is read and written everywhere in the project, and how to explain a
 * JSON problem in one line. Documents that travel (events) are copied token by token with every
 * number written exactly as it arrived, never through a double; a document is accepted only if
 * every reader can read it back and print it: at most {@link #MAX_DEPTH} levels deep and with no
 * string that UTF-8 cannot carry.
 */
public final class Json {
    /** The deepest nesting an event may have, the envelope counted as the first level. */
    public static final int MAX_DEPTH = 100;

    private static final ObjectMapper MAPPER = mapper(StreamReadConstraints.defaults());
    private static final ObjectWriter PRETTY = MAPPER.writer(new Indented());
    /** Reads envelopes with the depth limit enforced by the parser itself, in the same pass. */
    private static final ObjectMapper ENVELOPES = mapper(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH).build());

    private Json() {
    }

    private static ObjectMapper mapper(StreamReadConstraints constraints) {
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // trees keep decimals exact (1.10 stays 1.10, 1e400 does not become Infinity)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses any JSON value; a problem becomes an {@link InvalidInput} naming it and where it is. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("malformed JSON: the text is empty");
        }
        try {
            return MAPPER.readTree(text);
        } catch (StreamConstraintsException limit) {
            throw tooDeepOrLong(limit, 1000);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + describe(e));
        }
    }

    /**
     * Checks that text is one JSON value every reader can take: well formed, nested at most
     * {@code maxDepth} levels, and with no lone UTF-16 surrogate in a string or a name.
     */
    public static void check(String text, int maxDepth) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("malformed JSON: the text is empty");
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > maxDepth) {
                            throw tooDeep(maxDepth);
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> requireWholeCharacters(parser.getText(), parser);
                    default -> {
                        // numbers and literals need nothing more
                    }
                }
                if (depth == 0 && parser.nextToken() != null) {
                    throw new InvalidInput("malformed JSON: more than one value (trailing text"
                            + where(parser.currentLocation()) + ")");
                }
                if (depth == 0) {
                    return;
                }
            }
        } catch (StreamConstraintsException limit) {
            throw tooDeepOrLong(limit, maxDepth);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads an event's envelope in one pass with what {@link #check} insists on: at most
     * {@link #MAX_DEPTH} levels, and (only where the text has \\u escapes, the one way a lone surrogate
     * can be written in valid UTF-8 text) no lone surrogate.
     */
    public static JsonNode parseChecked(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("malformed JSON: the text is empty");
        }
        if (text.indexOf("\\u") >= 0 || hasRawSurrogate(text)) {
            check(text, MAX_DEPTH);
        }
        try {
            return ENVELOPES.readTree(text);
        } catch (StreamConstraintsException limit) {
            throw tooDeepOrLong(limit, MAX_DEPTH);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + describe(e));
        }
    }

    private static boolean hasRawSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The same document on one line, every number and string meaning exactly what it did. */
    public static String compactText(String text) {
        StringWriter out = new StringWriter(text.length());
        copyInto(out, false, List.of(text), false);
        return out.toString();
    }

    /** Several documents as one indented JSON array, or a compact one; numbers keep their text. */
    public static String arrayText(List<String> documents, boolean indented) {
        if (documents.isEmpty()) {
            return "[]";
        }
        StringWriter out = new StringWriter();
        copyInto(out, indented, documents, true);
        return out.toString();
    }

    private static void copyInto(StringWriter out, boolean indented, List<String> documents, boolean asArray) {
        try (JsonGenerator generator = MAPPER.createGenerator(out)) {
            if (indented) {
                generator.setPrettyPrinter(new Indented());
            }
            if (asArray) {
                generator.writeStartArray();
            }
            for (String document : documents) {
                try (JsonParser parser = MAPPER.createParser(document)) {
                    copy(parser, generator);
                }
            }
            if (asArray) {
                generator.writeEndArray();
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            switch (token) {
                case START_OBJECT -> generator.writeStartObject();
                case END_OBJECT -> generator.writeEndObject();
                case START_ARRAY -> generator.writeStartArray();
                case END_ARRAY -> generator.writeEndArray();
                case FIELD_NAME -> generator.writeFieldName(parser.currentName());
                case VALUE_STRING -> generator.writeString(parser.getText());
                // the number's own text, as it arrived: no double, no rounding, no exponent rewritten
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                case VALUE_TRUE -> generator.writeBoolean(true);
                case VALUE_FALSE -> generator.writeBoolean(false);
                case VALUE_NULL -> generator.writeNull();
                default -> throw new IllegalStateException("unexpected JSON token " + token);
            }
        }
    }

    private static void requireWholeCharacters(String text, JsonParser parser) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInput(String.format("invalid JSON string: a lone surrogate \\u%04x%s cannot be"
                        + " carried in UTF-8; use a complete surrogate pair or the character itself",
                        (int) c, where(parser.currentLocation())));
            }
        }
    }

    private static InvalidInput tooDeep(int maxDepth) {
        return new InvalidInput("JSON nested too deep: at most " + maxDepth + " levels of objects and arrays are allowed");
    }

    private static InvalidInput tooDeepOrLong(StreamConstraintsException limit, int maxDepth) {
        String message = String.valueOf(limit.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return tooDeep(maxDepth);
        }
        if (message.contains("Number value length")) {
            return new InvalidInput("JSON number too long: at most 1000 characters are allowed in one number");
        }
        return new InvalidInput("JSON over a limit: " + sanitize(firstLine(message)));
    }

    private static String where(JsonLocation location) {
        return location != null && location.getLineNr() > 0
                ? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
    }

    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Indented, with an empty array kept on one line as "[]". */
    public static String pretty(JsonNode node) {
        if (node.isContainerNode() && node.isEmpty()) {
            return node.isArray() ? "[]" : "{}";
        }
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Understands the indentation people read: two spaces, "key": value, and {} or [] when empty. */
    private static final class Indented extends DefaultPrettyPrinter {
        Indented() {
            super(new DefaultPrettyPrinter()
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
        }

        private Indented(Indented base) {
            super(base);
        }

        @Override
        public Indented createInstance() {
            return new Indented(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries == 0) {
                if (!_objectIndenter.isInline()) {
                    _nesting--;
                }
                g.writeRaw('}');
                return;
            }
            super.writeEndObject(g, entries);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values == 0) {
                if (!_arrayIndenter.isInline()) {
                    _nesting--;
                }
                g.writeRaw(']');
                return;
            }
            super.writeEndArray(g, values);
        }
    }

    private static String describe(JsonProcessingException e) {
        return sanitize(firstLine(String.valueOf(e.getOriginalMessage()))) + where(e.getLocation());
    }

    /**
     * Jackson's messages name its own switches ("enable `JsonReadFeature.ALLOW_...` to allow"),
     * which mean nothing to someone typing JSON: those parts go, and what is wrong stays.
     */
    static String sanitize(String message) {
        String cleaned = message
                .replaceAll(":?\\s*\\(?\\s*(?:enable|disable)\\s+`?[A-Za-z]+(?:Feature|Constraints)[.A-Za-z_()]*`?[^);]*\\)?", "")
                .replaceAll("\\s*\\(for [A-Za-z.]+\\)", "")
                .replaceAll("\\s*\\(from `?StreamReadConstraints[^)]*\\)", "")
                .replaceAll("`", "'")
                .strip();
        return cleaned.endsWith(":") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }
}
