package org.rapidsrivers.core.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.rapidsrivers.core.json.Json;

/**
 * Understands how to make arbitrary JSON text as people and other programs write it: numbers in
 * every form JSON allows (huge, tiny, long, with exponents and trailing zeros, as Node writes them),
 * strings from every Unicode plane with escapes, and nesting to a chosen depth.
 */
public final class JsonTexts {
    private JsonTexts() {
    }

    /** Any JSON value at most {@code depth} levels deep (a scalar is 0 levels). */
    public static Arbitrary<String> values(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(numbers(), strings(), Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> values(depth - 1));
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = members(inner, 4);
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalar), Tuple.of(2, array), Tuple.of(2, object));
    }

    /** A JSON object (what a payload usually is), up to the given depth. */
    public static Arbitrary<String> objects(int depth) {
        return members(values(depth - 1), 5);
    }

    /** An object of up to {@code most} members with distinct names (compared as decoded, escapes and all). */
    private static Arbitrary<String> members(Arbitrary<String> values, int most) {
        return Combinators.combine(strings(), values).as(List::of)
                .list().ofMaxSize(most).uniqueElements(member -> Json.parse(member.get(0)).asText())
                .map(members -> "{" + String.join(",", members.stream().map(m -> m.get(0) + ":" + m.get(1)).toList()) + "}");
    }

    /** Arrays nested exactly {@code depth} levels: [[[...]]]. */
    public static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Every number form JSON's grammar allows, the awkward ones often. */
    public static Arbitrary<String> numbers() {
        Arbitrary<String> integer = Arbitraries.oneOf(
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40).map(JsonTexts::noLeadingZero),
                Arbitraries.of("0", "-0", "9007199254740993", "-9223372036854775809", "18446744073709551616"));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25);
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"),
                Arbitraries.integers().between(0, 999)).as((e, sign, n) -> e + sign + n);
        Arbitrary<String> composed = Combinators.combine(integer, fraction.optional(), exponent.optional())
                .as((i, f, e) -> i + f.map(x -> "." + x).orElse("") + e.orElse(""));
        Arbitrary<String> famous = Arbitraries.of("1e400", "-1e309", "1e-400", "123456789012345678.5", "1.10",
                "1e+21", "1.0E21", "0.1", "5e-324", "1.7976931348623157e308", "0.30000000000000004", "-0.0", "1E-7");
        return Arbitraries.oneOf(famous, composed, Arbitraries.doubles().map(d -> Double.toString(d))
                .filter(s -> !s.contains("Infinity") && !s.contains("NaN")));
    }

    /** JSON strings with characters from every plane: written as themselves or as \\u escapes. */
    public static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0, 0x1f),
                Arbitraries.integers().between(0x80, 0xd7ff),
                Arbitraries.integers().between(0xe000, 0xfffd),
                Arbitraries.integers().between(0x10000, 0x10ffff),
                Arbitraries.of((int) '"', (int) '\\', (int) '/', 0x2028, 0x2029, 0xfeff, 0xfffd));
        Arbitrary<String> character = Combinators.combine(codePoint, Arbitraries.of(true, false))
                .as(JsonTexts::written);
        return character.list().ofMaxSize(12).map(chars -> "\"" + String.join("", chars) + "\"");
    }

    private static String written(int codePoint, boolean escaped) {
        if (codePoint == '"' || codePoint == '\\') {
            return "\\" + (char) codePoint;
        }
        if (codePoint < 0x20 || escaped) {
            StringBuilder escape = new StringBuilder();
            for (char unit : Character.toChars(codePoint)) {
                escape.append(String.format("\\u%04x", (int) unit));
            }
            return escape.toString();
        }
        return new String(Character.toChars(codePoint));
    }

    private static String noLeadingZero(String digits) {
        String stripped = digits.replaceFirst("^0+(?=.)", "");
        return stripped;
    }

    /** The same JSON, compared by meaning with every number's exact text: a normal form to compare two texts by. */
    public static List<String> numberTexts(String json) {
        ArrayList<String> numbers = new ArrayList<>();
        try (var parser = Json.mapper().createParser(json)) {
            for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isNumeric()) {
                    numbers.add(parser.getText());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return numbers;
    }
}
