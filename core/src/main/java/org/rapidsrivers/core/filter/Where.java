package org.rapidsrivers.core.filter;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.names.PayloadField;

/**
 * Understands one condition of a river's filter, as {@code --where} gives it in one word: a path into the
 * payload (fields separated by dots), an operator and its values. {@code source=location,brand} (any of
 * them), {@code source!=brand} (present and none of them), {@code sku^=EU-} (a prefix), {@code file$=.pdf}
 * (a suffix), {@code user~=sally} (equal ignoring case), {@code amount>=1000} ({@code < <= > >=}, a number),
 * {@code user:exists}, {@code offer:missing}. Values compare with strings only, numbers with the four
 * comparisons only, as SNS does; a comma separates values, so a value holds none.
 */
public record Where(List<String> path, Operator operator, List<String> values) implements Comparable<Where> {
    /** The largest number SNS compares: 10^9 either way. */
    public static final BigDecimal LIMIT = BigDecimal.valueOf(1_000_000_000L);
    /** The digits after the point SNS keeps. */
    public static final int DECIMALS = 5;
    static final String FORMS = "path=a,b  path!=a  path^=prefix  path$=suffix  path~=ignoring-case  path<n  path<=n  path>n"
            + "  path>=n  path:exists  path:missing";

    public Where {
        path = List.copyOf(path);
        values = List.copyOf(values);
    }

    /** Understands what a condition does with the value at its path. */
    public enum Operator {
        AT_MOST("<="), AT_LEAST(">="), NOT("!="), PREFIX("^="), SUFFIX("$="), IGNORING_CASE("~="), EQUALS("="),
        LESS("<"), MORE(">"), EXISTS(":exists"), MISSING(":missing");

        private final String word;

        Operator(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public boolean numeric() {
            return this == LESS || this == AT_MOST || this == MORE || this == AT_LEAST;
        }

        public boolean lower() {
            return this == MORE || this == AT_LEAST;
        }

        boolean takesValues() {
            return this != EXISTS && this != MISSING;
        }

        /** The SNS numeric operator: the same characters. */
        String sns() {
            return word;
        }

        static Optional<Operator> ofSns(String word) {
            return Arrays.stream(values()).filter(o -> o.numeric() && o.word.equals(word)).findFirst();
        }
    }

    /** Reads one word; one line says what is wrong and what is allowed. */
    public static Where parse(String word) {
        String option = "--where";
        int end = 0;
        while (end < word.length() && isPathCharacter(word.charAt(end))) {
            end++;
        }
        String pathText = word.substring(0, end);
        String rest = word.substring(end);
        Operator operator = Arrays.stream(Operator.values()).filter(o -> rest.startsWith(o.word)).findFirst()
                .orElseThrow(() -> new InvalidInput(option + " '" + Printable.of(word) + "' "
                        + (rest.isEmpty() ? "has no operator" : "has no operator that exists at '" + Printable.of(rest) + "'")
                        + " (allowed: " + FORMS + ")"));
        if (pathText.isEmpty()) {
            throw new InvalidInput(option + " '" + Printable.of(word) + "' has no path before " + operator.word
                    + " (a field of the payload, dots between fields: source, order.total)");
        }
        List<String> path = path(pathText, word);
        String valueText = rest.substring(operator.word.length());
        if (!operator.takesValues()) {
            if (!valueText.isEmpty()) {
                throw new InvalidInput(option + " '" + Printable.of(word) + "': " + operator.word + " takes no value");
            }
            return new Where(path, operator, List.of());
        }
        if (valueText.isEmpty()) {
            throw new InvalidInput(option + " '" + Printable.of(word) + "' has no value after " + operator.word
                    + (operator.numeric() ? " (a number from -10^9 to 10^9)" : " (one value, or several separated by commas)"));
        }
        if (operator.numeric()) {
            return new Where(path, operator, List.of(number(valueText, word)));
        }
        String[] parts = valueText.split(",", -1);
        TreeSet<String> values = new TreeSet<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new InvalidInput(option + " '" + Printable.of(word) + "' has an empty value: values are separated by"
                        + " single commas (source=location,brand)");
            }
            values.add(operator == Operator.IGNORING_CASE ? part.toLowerCase(Locale.ROOT) : part);
        }
        return new Where(path, operator, List.copyOf(values));
    }

    /** The condition again as one word, values sorted: the same condition always reads the same. */
    public String word() {
        return String.join(".", path) + operator.word + String.join(",", values);
    }

    public String pathText() {
        return String.join(".", path);
    }

    public BigDecimal number() {
        return new BigDecimal(values.get(0));
    }

    @Override
    public int compareTo(Where other) {
        int byPath = pathText().compareTo(other.pathText());
        return byPath != 0 ? byPath : word().compareTo(other.word());
    }

    @Override
    public String toString() {
        return word();
    }

    private static boolean isPathCharacter(char c) {
        return c == '.' || c == '_' || c == '-' || c == '[' || c == ']' || (c < 128 && Character.isLetterOrDigit(c));
    }

    private static List<String> path(String text, String word) {
        if (text.contains("[]")) {
            throw new InvalidInput("--where '" + Printable.of(word) + "': leave out [] - a filter matches any element of an"
                    + " array by itself");
        }
        List<String> fields = List.of(text.split("\\.", -1));
        if (fields.size() > PayloadField.MAX_DEPTH) {
            throw new InvalidInput("--where '" + Printable.of(word) + "': the path is deeper than " + PayloadField.MAX_DEPTH
                    + " fields");
        }
        for (String field : fields) {
            if (!PayloadField.isValid(field)) {
                throw new InvalidInput("--where '" + Printable.of(word) + "': '" + Printable.of(text) + "' is not a path: "
                        + (field.isEmpty() ? "a field is empty" : "'" + Printable.of(field) + "' is not a field")
                        + " (" + PayloadField.RULE + ": order.total)");
            }
        }
        return fields;
    }

    /** A number SNS can compare: from -10^9 to 10^9 with at most five digits after the point, written plainly. */
    static String number(String text, String word) {
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            throw new InvalidInput("--where '" + Printable.of(word) + "': '" + Printable.of(text) + "' is not a number"
                    + " (comparisons take one number: amount>=1000, price<9.99)");
        }
        if (number.abs().compareTo(LIMIT) > 0) {
            throw new InvalidInput("--where '" + Printable.of(word) + "': " + Printable.of(text) + " is outside the numbers"
                    + " SNS compares, -10^9 to 10^9");
        }
        BigDecimal plain = number.stripTrailingZeros();
        if (plain.scale() > DECIMALS) {
            throw new InvalidInput("--where '" + Printable.of(word) + "': " + Printable.of(text) + " has more than " + DECIMALS
                    + " digits after the point, the most SNS compares");
        }
        return plain.scale() < 0 ? plain.setScale(0).toPlainString() : plain.toPlainString();
    }
}
