package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceShape;
import org.rapidsrivers.service.monitor.MonitorService;

/** What a deployment learns of a service by starting it on nothing. */
class ServiceShapeTest {
    @Test
    void theMonitorServiceSetsATimerAsItStartsSoNoFunctionCanRunIt() {
        ServiceShape monitor = ServiceShape.of(new MonitorService(line -> { }));

        assertThat(monitor.timers()).isTrue();
        assertThat(monitor.consumes()).containsExactly("MonitorAdded", "MonitorRemoved");
        assertThat(monitor.publishes()).containsExactly("MonitorBreached", "MonitorRecovered");
    }

    @Test
    void onlyValueRulesOnPlainFieldsBecomeTheFilterAndRiversThatDifferTakeTheTypeWhole() {
        ServiceShape shape = ServiceShape.of(new Rules(rapids -> {
            River.on(rapids).precondition(r -> r.requireType("Order").requireAnyValue("currency", List.of("EUR", "USD"))
                    .requireValue("currency", "EUR").requireKey("total").forbidKey("test").requireValue("a.b", "x")
                    .requireValue("note", "x,y").require("total", n -> n.asInt() > 0, "is not positive"))
                    .register((packet, context) -> { });
            River.on(rapids).precondition(r -> r.requireType("Refund", "Chargeback").requireValue("channel", "web"))
                    .register((packet, context) -> { });
            River.on(rapids).precondition(r -> r.requireType("Chargeback").requireValue("channel", "shop"))
                    .register((packet, context) -> { });
            River.on(rapids).precondition(r -> r.requireType("Ping")).validate(r -> r.requireValue("kind", "a"))
                    .register((packet, context) -> { });
        }));

        assertThat(shape.filters()).containsExactly(entry("Chargeback", ContentFilter.WHOLE),
                entry("Order", ContentFilter.parse(List.of("currency=EUR"))), entry("Ping", ContentFilter.WHOLE),
                entry("Refund", ContentFilter.parse(List.of("channel=web"))));
    }

    /** A service made of the rivers given. */
    private record Rules(Consumer<RapidsConnection> rivers) implements Service {
        @Override public String name() { return "rules"; }

        @Override public Set<String> publishes() { return Set.of(); }

        @Override public void start(RapidsConnection rapids) { rivers.accept(rapids); }
    }

    @Test
    void aServiceThatOnlyHandlesSetsNoTimer() {
        assertThat(ServiceShape.of(new MonitorServiceTest.Answerer()).timers()).isFalse();
    }
}
