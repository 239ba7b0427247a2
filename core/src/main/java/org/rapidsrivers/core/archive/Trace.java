package org.rapidsrivers.core.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.control.CommandKind;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;

/**
 * Understands a chain of events as a tree by causation: each event with its time, its publisher, its hop
 * (milliseconds from its cause's publishing to its own) and the rivers it reached. Which rivers an event
 * reached is what the routing table said when it was published: today's subscriptions, with every
 * subscription change the control plane's ledger holds since then undone, newest first (the ledger, not
 * outcome events in the archive, which any producer could have put on the rapids). An event whose cause is not in the
 * window hangs from the root as an orphan, said so.
 */
public final class Trace {
    private final List<Event> events;
    private final Map<String, Event> byId = new HashMap<>();
    private final SortedMap<String, SortedSet<String>> subscriptionsNow;
    private final List<CommandOutcome> subscriptionChanges;

    /**
     * @param chain the chain's events in archive order
     * @param subscriptionsNow each river's topics today
     * @param subscriptionChanges the ledger's subscribes and unsubscribes that changed something since the chain began
     */
    public Trace(List<Event> chain, Map<String, ? extends Set<String>> subscriptionsNow,
                 List<CommandOutcome> subscriptionChanges) {
        this.events = List.copyOf(chain);
        chain.forEach(event -> byId.putIfAbsent(event.id(), event));
        this.subscriptionsNow = new TreeMap<>();
        subscriptionsNow.forEach((river, topics) -> this.subscriptionsNow.put(river, new TreeSet<>(topics)));
        this.subscriptionChanges = subscriptionChanges.stream().filter(CommandOutcome::changedSubscriptions)
                .sorted(Comparator.comparing(CommandOutcome::at).reversed()).toList();
    }

    public int size() {
        return events.size();
    }

    /** The rivers subscribed to the event's type when it was published. */
    public SortedSet<String> riversReached(Event event) {
        SortedMap<String, SortedSet<String>> then = new TreeMap<>();
        subscriptionsNow.forEach((river, topics) -> then.put(river, new TreeSet<>(topics)));
        for (CommandOutcome change : subscriptionChanges) {
            if (!change.at().isAfter(event.timestamp())) {
                break;
            }
            String river = change.command().river().value();
            String topic = change.command().topic().value();
            if (change.command().kind() == CommandKind.SUBSCRIBE) {
                then.computeIfPresent(river, (r, topics) -> {
                    topics.remove(topic);
                    return topics;
                });
            } else {
                then.computeIfAbsent(river, r -> new TreeSet<>()).add(topic);
            }
        }
        SortedSet<String> reached = new TreeSet<>();
        then.forEach((river, topics) -> {
            if (topics.contains(event.type().value())) {
                reached.add(river);
            }
        });
        return reached;
    }

    /** The events no event of the chain caused: the root first, then orphans whose cause is not in the window. */
    private List<Event> roots() {
        return events.stream().filter(e -> e.causationId().map(byId::get).isEmpty())
                .sorted(Comparator.comparing(Event::timestamp)).toList();
    }

    private List<Event> childrenOf(Event parent) {
        return events.stream().filter(e -> e.causationId().filter(parent.id()::equals).isPresent())
                .sorted(Comparator.comparing(Event::timestamp).thenComparing(Event::id)).toList();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (Event root : roots()) {
            out.append(line(root, null)).append(root.causationId().isPresent() ? "  (its cause " + Printable.of(root.causationId().get())
                    + " is not in the window)" : "").append('\n');
            branch(root, "", out);
        }
        return out.toString().stripTrailing();
    }

    private void branch(Event parent, String indent, StringBuilder out) {
        List<Event> children = childrenOf(parent);
        for (int i = 0; i < children.size(); i++) {
            Event child = children.get(i);
            boolean last = i == children.size() - 1;
            out.append(indent).append(last ? "└─ " : "├─ ").append(line(child, parent)).append('\n');
            branch(child, indent + (last ? "   " : "│  "), out);
        }
    }

    private String line(Event event, Event cause) {
        StringBuilder line = new StringBuilder(Printable.of(event.type().value())).append(' ')
                .append(Timestamps.format(event.timestamp())).append(" by ").append(Printable.of(event.domain()));
        if (cause != null) {
            line.append("  +").append(hopMillis(event, cause)).append(" ms");
        }
        SortedSet<String> rivers = riversReached(event);
        line.append("  -> ").append(rivers.isEmpty() ? "no river" : String.join(", ", rivers.stream().map(Printable::of).toList()));
        line.append("  [").append(Printable.of(event.id())).append(']');
        return line.toString();
    }

    private static long hopMillis(Event event, Event cause) {
        return Duration.between(cause.timestamp(), event.timestamp()).toMillis();
    }

    public ObjectNode json() {
        ObjectNode document = Json.object();
        document.put("events", events.size());
        ArrayNode roots = document.putArray("roots");
        roots().forEach(root -> roots.add(node(root, null)));
        return document;
    }

    private ObjectNode node(Event event, Event cause) {
        ObjectNode node = Json.object();
        node.put("eventId", event.id());
        node.put("eventType", event.type().value());
        node.put("publisher", event.domain());
        node.put("timestamp", Timestamps.format(event.timestamp()));
        if (cause != null) {
            node.put("hopMillis", hopMillis(event, cause));
        } else if (event.causationId().isPresent()) {
            node.put("causeNotInWindow", event.causationId().get());
        }
        ArrayNode rivers = node.putArray("rivers");
        riversReached(event).forEach(rivers::add);
        node.set("payload", event.payload());
        ArrayNode children = node.putArray("caused");
        childrenOf(event).forEach(child -> children.add(node(child, event)));
        return node;
    }

}
