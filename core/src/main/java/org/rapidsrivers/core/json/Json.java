package org.rapidsrivers.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands how JSON is read and written everywhere in the project, and how to explain a
 * JSON problem in one line.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectWriter PRETTY = MAPPER.writer(new Indented());

    private Json() {
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
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed JSON: " + describe(e));
        }
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
        public void writeEndObject(com.fasterxml.jackson.core.JsonGenerator g, int entries) throws java.io.IOException {
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
        public void writeEndArray(com.fasterxml.jackson.core.JsonGenerator g, int values) throws java.io.IOException {
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
        String problem = e.getOriginalMessage();
        int newline = problem.indexOf('\n');
        if (newline >= 0) {
            problem = problem.substring(0, newline);
        }
        JsonLocation where = e.getLocation();
        if (where != null && where.getLineNr() > 0) {
            problem += " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        }
        return problem;
    }
}
