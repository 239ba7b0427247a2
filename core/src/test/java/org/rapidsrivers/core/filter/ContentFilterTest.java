package org.rapidsrivers.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

class ContentFilterTest {
    @Test
    void eachOperatorBecomesItsSnsMatcherUnderThePayload() {
        ContentFilter filter = ContentFilter.parse(List.of("source=location,brand", "sku^=EU-", "file$=.pdf", "user~=Sally"));
        ContentFilter other = ContentFilter.parse(List.of("order.total>=1000", "order.total<2000.5", "offer:missing",
                "segment!=Student", "vip:exists"));

        assertThat(RiverPolicy.text(filter.payloadPolicy())).isEqualTo("{\"file\":[{\"suffix\":\".pdf\"}],"
                + "\"sku\":[{\"prefix\":\"EU-\"}],\"source\":[\"brand\",\"location\"],\"user\":[{\"equals-ignore-case\":\"sally\"}]}");
        assertThat(RiverPolicy.text(other.payloadPolicy())).isEqualTo("{\"offer\":[{\"exists\":false}],"
                + "\"order\":{\"total\":[{\"numeric\":[\">=\",1000,\"<\",2000.5]}]},\"segment\":[{\"anything-but\":[\"Student\"]}],"
                + "\"vip\":[{\"exists\":true}]}");
        assertThat(filter.words()).containsExactly("file$=.pdf", "sku^=EU-", "source=brand,location", "user~=sally");
        assertThat(other.text()).isEqualTo("offer:missing order.total>=1000 order.total<2000.5 segment!=Student vip:exists");
    }

    @Test
    void theSameConditionsInAnyOrderAreTheSameFilter() {
        assertThat(ContentFilter.parse(List.of("b=2", "a=y,x"))).isEqualTo(ContentFilter.parse(List.of("a=x,y", "b=2")));
        assertThat(ContentFilter.parse(List.of())).isSameAs(ContentFilter.WHOLE);
    }

    @Test
    void badConditionsAreRefusedInOneLineNamingWhatIsAllowed() {
        assertThat(refusal("source=")).isEqualTo("--where 'source=' has no value after = (one value, or several separated by commas)");
        assertThat(refusal("source")).startsWith("--where 'source' has no operator (allowed: path=a,b  path!=a");
        assertThat(refusal("source?x")).isEqualTo("--where 'source?x' has no operator that exists at '?x' (allowed: "
                + Where.FORMS + ")");
        assertThat(refusal("amount>2e9")).isEqualTo("--where 'amount>2e9': 2e9 is outside the numbers SNS compares, -10^9 to 10^9");
        assertThat(refusal("amount>1.000001")).isEqualTo("--where 'amount>1.000001': 1.000001 has more than 5 digits after the"
                + " point, the most SNS compares");
        assertThat(refusal("amount>ten")).startsWith("--where 'amount>ten': 'ten' is not a number");
        assertThat(refusal("order..total=1")).isEqualTo("--where 'order..total=1': 'order..total' is not a path: a field is empty"
                + " (fields of letters, digits, _ and - separated by dots: order.total)");
        assertThat(refusal("=x")).startsWith("--where '=x' has no path before =");
        assertThat(refusal("a=x,,y")).startsWith("--where 'a=x,,y' has an empty value");
        assertThat(refusal("user:exists1")).isEqualTo("--where 'user:exists1': :exists takes no value");
        assertThat(refusal("offers[].id=1")).startsWith("--where 'offers[].id=1': leave out []");
        assertThat(refusal("a=1", "a=2")).startsWith("--where names 'a' 2 times (a=1 a=2): a filter holds one condition per path");
        assertThat(refusal("a>5", "a<5")).startsWith("--where a>5 a<5: the lower bound must be below the upper one");
        assertThat(refusal("a=1", "a.b=2")).startsWith("--where names 'a' and 'a.b': one cannot be a value and hold another");
        assertThat(refusal("a=1", "b=1", "c=1", "d=1", "e=1")).startsWith("--where names 5 paths (a, b, c, d, e): SNS allows 5 keys");
    }

    @Test
    void aRiversPolicyHasABranchForItsWholeTopicsAndOneForEachFilteredTopic() {
        RiverPolicy policy = new RiverPolicy(Map.of(Topic.of("ViewPage"), ContentFilter.WHOLE, Topic.of("Ping"), ContentFilter.WHOLE,
                Topic.of("Segment"), ContentFilter.parse(List.of("segment=RoadWarrior"))));

        assertThat(policy.bodyPolicyText()).isEqualTo("{\"$or\":[{\"eventType\":[\"Ping\",\"ViewPage\"]},"
                + "{\"eventType\":[\"Segment\"],\"payload\":{\"segment\":[\"RoadWarrior\"]}}]}");
        assertThat(RiverPolicy.fromBodyPolicy(Json.parse(policy.bodyPolicyText()))).isEqualTo(policy);
        assertThat(policy.describe(Topic.of("Segment"))).isEqualTo("Segment where segment=RoadWarrior");
        assertThat(policy.filtered()).isTrue();
        assertThat(policy.without(Topic.of("Segment")).filtered()).isFalse();
    }

    @Test
    void aPolicyOverTheCombinationsSnsAllowsIsRefusedBeforeSnsIsAsked() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            values.add("v" + i);
        }
        RiverPolicy fits = new RiverPolicy(Map.of(Topic.of("T"), ContentFilter.parse(List.of("k=" + String.join(",", values)))));
        fits.requireWithinLimits(RiverName.of("r"));
        assertThat(RiverPolicy.combinations(fits.bodyPolicy())).isEqualTo(150);

        values.add("v75");
        RiverPolicy over = new RiverPolicy(Map.of(Topic.of("T"), ContentFilter.parse(List.of("k=" + String.join(",", values)))));
        assertThatThrownBy(() -> over.requireWithinLimits(RiverName.of("r"))).isInstanceOf(InvalidInput.class)
                .hasMessage("river 'r' would have a filter policy of 152 combinations, SNS allows 150 (1 topics, 1 filtered):"
                        + " give the filtered topic a river of its own, or fewer values");
    }

    @Property(tries = 300)
    void anyFilterReadsBackTheSameFromItsWordsAndFromItsPolicy(@ForAll("filters") ContentFilter filter) {
        assertThat(ContentFilter.parse(filter.words())).isEqualTo(filter);
        assertThat(ContentFilter.fromPayloadPolicy(Json.parse(RiverPolicy.text(filter.payloadPolicy())))).isEqualTo(filter);
        RiverPolicy policy = new RiverPolicy(Map.of(Topic.of("A"), filter, Topic.of("B"), ContentFilter.WHOLE));
        assertThat(RiverPolicy.fromBodyPolicy(Json.parse(policy.bodyPolicyText()))).isEqualTo(policy);
    }

    @Provide
    Arbitrary<ContentFilter> filters() {
        Arbitrary<String> field = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> value = Arbitraries.strings().withChars("abcXYZ-_.:/ 0é€").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> number = Arbitraries.bigDecimals().between(java.math.BigDecimal.valueOf(-1_000_000_000L),
                java.math.BigDecimal.valueOf(1_000_000_000L)).ofScale(3).map(java.math.BigDecimal::toPlainString);
        Arbitrary<String> word = Arbitraries.oneOf(
                Combinators.combine(field, Arbitraries.of("=", "!=", "^=", "$=", "~="), value.list().ofMinSize(1).ofMaxSize(3))
                        .as((f, op, vs) -> f + op + String.join(",", vs)),
                Combinators.combine(field, Arbitraries.of("<", "<=", ">", ">="), number).as((f, op, n) -> f + op + n),
                Combinators.combine(field, Arbitraries.of(":exists", ":missing")).as((f, op) -> f + op));
        return word.list().ofMaxSize(4).map(words -> {
            Map<String, String> onePerField = new TreeMap<>();
            words.forEach(w -> onePerField.putIfAbsent(Where.parse(w).pathText(), w));
            return ContentFilter.parse(onePerField.values());
        });
    }

    private static String refusal(String... words) {
        try {
            ContentFilter.parse(List.of(words));
        } catch (InvalidInput refused) {
            return refused.getMessage();
        }
        throw new AssertionError("accepted " + List.of(words));
    }
}
