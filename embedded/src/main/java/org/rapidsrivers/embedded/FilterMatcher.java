package org.rapidsrivers.embedded;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.Topic;
import software.amazon.event.ruler.Machine;

/**
 * Understands which rivers' content filters an event meets, the embedded counterpart of SNS evaluating
 * MessageBody filter policies: each filtered subscription's branch ({@link RiverPolicy#branch}) is a rule of an
 * aws/event-ruler machine named by its river, so one pass over an event finds every river it is for. Built
 * from the subscriptions as they are; the router makes a new one when they change.
 */
public final class FilterMatcher {
    /** One filtered subscription as the routing table holds it. */
    record Filtered(String river, String topic, String filter) {
    }

    /** A matcher for these rivers' filtered topics (the differential test's way in). */
    public static FilterMatcher of(Map<String, RiverPolicy> rivers) {
        List<Filtered> filtered = new ArrayList<>();
        rivers.forEach((river, policy) -> policy.topics().forEach((topic, filter) -> {
            if (!filter.isWhole()) {
                filtered.add(new Filtered(river, topic.value(), EmbeddedSubscriptions.columnOf(filter)));
            }
        }));
        return new FilterMatcher(filtered);
    }

    private final List<Filtered> subscriptions;
    private final Map<String, Set<String>> riversByTopic = new HashMap<>();
    private final Machine machine = new Machine();

    FilterMatcher(List<Filtered> subscriptions) {
        this.subscriptions = List.copyOf(subscriptions);
        for (Filtered filtered : subscriptions) {
            riversByTopic.computeIfAbsent(filtered.topic(), t -> new HashSet<>()).add(filtered.river());
            ContentFilter filter = EmbeddedSubscriptions.filterOf(filtered.filter());
            try {
                machine.addRule(filtered.river(), RiverPolicy.text(RiverPolicy.branch(Topic.of(filtered.topic()), filter)));
            } catch (IOException | RuntimeException unreadable) {
                throw new IllegalStateException("river " + filtered.river() + "'s filter on " + filtered.topic() + " ("
                        + filtered.filter() + ") cannot be matched: " + unreadable.getMessage(), unreadable);
            }
        }
    }

    /** Whether this matcher was made from these subscriptions. */
    boolean madeFrom(List<Filtered> now) {
        return subscriptions.equals(now);
    }

    /** Whether any river filters this type: if not, the event need not be looked into. */
    public boolean filters(String topic) {
        return riversByTopic.containsKey(topic);
    }

    /** How many rivers filter this type. */
    int filtering(String topic) {
        return riversByTopic.getOrDefault(topic, Set.of()).size();
    }

    /** The rivers whose filter the event meets; an event that is not JSON meets none. */
    public List<String> rivers(String eventJson) {
        try {
            return machine.rulesForJSONEvent(eventJson);
        } catch (Exception unreadable) {
            return List.of();
        }
    }
}
