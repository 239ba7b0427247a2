package org.rapidsrivers.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.ServiceShape;
import org.rapidsrivers.service.testing.TestRapids;

/** Each offers service on TestRapids, and the five together. */
class OffersServicesTest {
    private static final List<String> ALL_FIVE = List.of("brand baseline", "brand road-warrior", "location baseline",
            "location road-warrior", "location road-warrior+platinum");

    @Test
    void brandsRulesBecomeItsRiversFilterSoOtherSegmentsNeverReachIt() {
        assertThat(ServiceShape.of(new Brand()).filters()).containsExactly(
                entry("Segment", ContentFilter.parse(List.of("segment=RoadWarrior"))), entry("ViewPage", ContentFilter.WHOLE));
        assertThat(ServiceShape.of(new Location()).filters().values()).containsOnly(ContentFilter.WHOLE);
    }

    @Test
    void segmentationAndMembershipSayWhatTheirPondsKnowAndNothingElse() {
        TestRapids rapids = new TestRapids().start(new Segmentation()).start(new Membership());

        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Nobody"));

        assertThat(rapids.published()).extracting(e -> e.type() + " " + Json.compact(e.payload())).containsExactly(
                "Segment {\"user\":\"Sally\",\"segment\":\"RoadWarrior\"}",
                "Membership {\"user\":\"Sally\",\"level\":\"Platinum\"}");
    }

    @Test
    void whatThePondSaysDecidesNotTheCode() {
        TestRapids rapids = new TestRapids();
        Segmentation.seed(rapids.pond("segmentation"), "Sally", "Student");
        Segmentation.seed(rapids.pond("segmentation"), "Ann", "RoadWarrior");
        rapids.start(new Segmentation());

        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Ann"));

        assertThat(rapids.published()).extracting(e -> Json.compact(e.payload())).containsExactly(
                "{\"user\":\"Sally\",\"segment\":\"Student\"}", "{\"user\":\"Ann\",\"segment\":\"RoadWarrior\"}");
    }

    @Test
    void brandMakesABaselineAndARoadWarriorOffer() {
        TestRapids rapids = new TestRapids().start(new Brand());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.send(fact(view, Offers.SEGMENT, "segment", "RoadWarrior"));
        rapids.send(fact(view, Offers.SEGMENT, "segment", "Student"));

        assertThat(offers(rapids)).containsExactly("brand baseline", "brand road-warrior");
    }

    @Test
    void locationMakesTheCombinedOfferOnceWhenMembershipComesFirst() {
        TestRapids rapids = new TestRapids().start(new Location());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));

        rapids.send(fact(view, Offers.MEMBERSHIP, "level", "Platinum"));
        rapids.send(fact(view, Offers.SEGMENT, "segment", "RoadWarrior"));

        assertThat(offers(rapids)).containsExactly("location baseline", "location road-warrior",
                "location road-warrior+platinum");
    }

    @Test
    void locationMakesTheCombinedOfferOnceWhenSegmentComesFirstAndEachFactTwice() {
        TestRapids rapids = new TestRapids().start(new Location());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));

        rapids.send(fact(view, Offers.SEGMENT, "segment", "RoadWarrior"));
        rapids.send(fact(view, Offers.MEMBERSHIP, "level", "Platinum"));
        rapids.send(fact(view, Offers.MEMBERSHIP, "level", "Platinum"));

        assertThat(offers(rapids)).filteredOn(o -> o.endsWith("+platinum")).hasSize(1);
    }

    @Test
    void locationRemembersAcrossARestartFromItsPond() {
        TestRapids rapids = new TestRapids().start(new Location());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.send(fact(view, Offers.SEGMENT, "segment", "RoadWarrior"));
        assertThat(offers(rapids)).noneMatch(o -> o.endsWith("+platinum"));
        rapids.clearPublished();

        rapids.restart(new Location());
        Event membership = fact(view, Offers.MEMBERSHIP, "level", "Platinum");
        rapids.send(membership);
        rapids.restart(new Location());
        // the same fact redelivered after another restart: the same offer, under the same id
        rapids.send(membership);

        assertThat(rapids.published()).extracting(Event::id).hasSize(2).containsOnly(rapids.published().get(0).id());
        assertThat(offers(rapids)).containsExactly("location road-warrior+platinum", "location road-warrior+platinum");
    }

    @Test
    void locationForgetsAChainAfterItsKeepingTime() {
        TestRapids rapids = new TestRapids().start(new Location());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.send(fact(view, Offers.SEGMENT, "segment", "RoadWarrior"));
        assertThat(rapids.pond("location").withPrefix("facts/")).hasSize(1);

        rapids.advance(Location.KEEP);

        assertThat(rapids.pond("location").withPrefix("facts/")).isEmpty();
    }

    @Test
    void theEngineBundlesTheOffersOfItsWindowAndNoLaterOnes() {
        OfferEngine engine = new OfferEngine();
        TestRapids rapids = new TestRapids().withSetting("window", "2s").start(engine);
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));

        rapids.send(offer(view, "location", "baseline"));
        rapids.advance(Duration.ofMillis(1999));
        rapids.send(offer(view, "brand", "baseline"));
        assertThat(rapids.published(Offers.BUNDLE)).isEmpty();
        rapids.advance(Duration.ofMillis(1));
        rapids.send(offer(view, "brand", "late"));

        assertThat(rapids.published(Offers.BUNDLE)).singleElement().satisfies(bundle -> {
            assertThat(Json.compact(bundle.payload())).isEqualTo("{\"user\":\"Sally\",\"offers\":["
                    + "{\"offer\":\"baseline\",\"source\":\"brand\",\"basis\":[]},"
                    + "{\"offer\":\"baseline\",\"source\":\"location\",\"basis\":[]}]}");
            assertThat(bundle.causationId()).contains(view.id());
        });
        assertThat(engine.stats().late()).isEqualTo(1);
        assertThat(rapids.published(Offers.AMENDED)).as("the late offer is not dropped").singleElement().satisfies(amended -> {
            assertThat(Json.compact(amended.payload())).isEqualTo("{\"user\":\"Sally\",\"offers\":["
                    + "{\"offer\":\"late\",\"source\":\"brand\",\"basis\":[]}]}");
            assertThat(amended.correlationId()).contains(view.id());
        });
    }

    @Test
    void anEngineRestartedDuringTheWindowStillBundlesEveryOfferOfIt() {
        TestRapids rapids = new TestRapids().withSetting("window", "2s").start(new OfferEngine());
        Event view = rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        Event first = offer(view, "location", "baseline");
        rapids.send(first);
        rapids.advance(Duration.ofSeconds(1));

        rapids.restart(new OfferEngine());
        rapids.send(first); // redelivered: the engine died before deleting it
        rapids.send(offer(view, "brand", "baseline"));
        rapids.advance(Duration.ofSeconds(2));

        assertThat(rapids.published(Offers.BUNDLE)).singleElement().satisfies(bundle -> {
            assertThat(bundleOffers(bundle.payload())).containsExactly("brand baseline", "location baseline");
            assertThat(bundle.causationId()).contains(view.id());
        });
        assertThat(rapids.pond("offer-engine").withPrefix("need/").values()).as("a decided need is kept a while, published")
                .singleElement().satisfies(need -> assertThat(need.path("state").asText()).isEqualTo("PUBLISHED"));
        rapids.advance(Duration.ofMinutes(11));
        assertThat(rapids.pond("offer-engine").withPrefix("need/")).as("then forgotten").isEmpty();
    }

    @Test
    void theWindowIsASettingAndABadOneIsRefusedInOneLine() {
        TestRapids rapids = new TestRapids().withSetting("window", "soon");

        assertThatThrownBy(() -> rapids.start(new OfferEngine()))
                .hasMessageContaining("window").hasMessageContaining("soon").message().doesNotContain("\n");
    }

    @Test
    void theFiveTogetherBundleExactlyTheFiveOffersForSally() {
        TestRapids rapids = fiveServices();

        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.advance(OfferEngine.DEFAULT_WINDOW);

        assertThat(rapids.published(Offers.BUNDLE)).singleElement().satisfies(bundle ->
                assertThat(bundleOffers(bundle.payload())).containsExactlyElementsOf(ALL_FIVE));
    }

    @Test
    void aFactThatChangesChangesTheNextPageViewsOffers() {
        TestRapids rapids = fiveServices();
        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.advance(OfferEngine.DEFAULT_WINDOW);

        Membership.seed(rapids.pond("membership"), "Sally", "Gold");
        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally"));
        rapids.advance(OfferEngine.DEFAULT_WINDOW);

        assertThat(rapids.published(Offers.BUNDLE)).hasSize(2);
        assertThat(bundleOffers(rapids.published(Offers.BUNDLE).get(0).payload())).containsExactlyElementsOf(ALL_FIVE);
        assertThat(bundleOffers(rapids.published(Offers.BUNDLE).get(1).payload())).as("Gold now: no platinum offer")
                .containsExactly("brand baseline", "brand road-warrior", "location baseline", "location road-warrior");
    }

    @Test
    void aUserTheDataKnowsNothingAboutGetsTheBaselinesOnly() {
        TestRapids rapids = fiveServices();

        rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Stranger"));
        rapids.advance(OfferEngine.DEFAULT_WINDOW);

        assertThat(bundleOffers(rapids.published(Offers.BUNDLE).get(0).payload()))
                .containsExactly("brand baseline", "location baseline");
    }

    private TestRapids fiveServices() {
        return new TestRapids().start(new Segmentation()).start(new Membership()).start(new Location())
                .start(new Brand()).start(new OfferEngine());
    }

    private static Event fact(Event view, String type, String key, String value) {
        return Event.builder(Topic.of(type), "test", Json.object().put("user", "Sally").put(key, value))
                .correlationId(view.id()).causationId(view.id()).hops(1).build();
    }

    private static Event offer(Event view, String source, String offer) {
        return Event.builder(Topic.of(Offers.OFFER), source, Offers.offer("Sally", offer, source, List.of()))
                .correlationId(view.id()).causationId(view.id()).hops(1).build();
    }

    private static List<String> offers(TestRapids rapids) {
        return rapids.published(Offers.OFFER).stream()
                .map(e -> e.payload().get("source").asText() + " " + e.payload().get("offer").asText()).toList();
    }

    static List<String> bundleOffers(JsonNode bundle) {
        List<String> offers = new ArrayList<>();
        bundle.get("offers").forEach(o -> offers.add(o.get("source").asText() + " " + o.get("offer").asText()));
        return offers;
    }

    @Test
    void theScenariosMonitorsHoldWithTheFiveAndTheRoadWarriorOneBreachesWhenNoServiceOffersOne() {
        TestRapids all = new TestRapids().start(new Segmentation()).start(new Membership()).start(new Location())
                .start(new Brand()).start(new OfferEngine());
        views(all, 12);
        assertThat(all.monitorState("bundles").orElseThrow().measure()).isEqualTo("100% of 12 chains within 3s");
        assertThat(all.monitorState("road-warrior").orElseThrow().measure()).isEqualTo("100% of 12 chains within 3s");
        assertThat(all.published("MonitorBreached")).isEmpty();

        // without location and brand the bundles still come, but none holds a road-warrior offer
        TestRapids lean = new TestRapids().start(new Segmentation()).start(new Membership()).start(new OfferEngine());
        List<Event> views = views(lean, 12);

        assertThat(lean.monitorState("bundles").orElseThrow().breached()).isFalse();
        assertThat(lean.monitorState("road-warrior").orElseThrow().breached()).isTrue();
        assertThat(lean.published("MonitorBreached")).singleElement().satisfies(breach -> {
            assertThat(breach.payload().path("monitor").asText()).isEqualTo("road-warrior");
            assertThat(breach.payload().path("examples")).hasSize(3)
                    .allSatisfy(chain -> assertThat(views).extracting(Event::id).contains(chain.asText()));
        });
    }

    /** The scenario's monitors on these rapids, and Sally's page views one a second, each judged by the end. */
    private static List<Event> views(TestRapids rapids, int count) {
        ScenarioMonitors.rules(OfferEngine.DEFAULT_WINDOW).forEach(rule -> rapids.monitor(rule.name() + " " + rule.text()));
        List<Event> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            views.add(rapids.send(Offers.VIEW_PAGE, Json.object().put("user", "Sally")));
            rapids.advance(Duration.ofSeconds(1));
        }
        rapids.advance(Duration.ofSeconds(5));
        return views;
    }
}
