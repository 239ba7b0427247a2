package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands who talks to whom on a stage: publishers (services, and other domains seen publishing)
 * → event types → rivers → the services that read them, from the catalog, the subscriptions, the
 * services' {@code ServiceStarted} events and the traffic the fan-out saw; and what looks wrong:
 * topics advertised that no river consumes, rivers subscribed to topics nobody has published, services
 * not seen for a while.
 */
public record Topology(Map<String, Node> nodes, Set<Edge> edges, List<String> flags) {
    /** Understands one box of the drawing; {@code kind} is service, domain, topic or river. */
    public record Node(String id, String kind, String label, boolean flagged) {
    }

    /**
     * Understands one arrow: publishes (publisher → topic), flows-into (topic → river, with the river's filter on
     * the topic when it wants only some of its events: {@code where}), read-by (river → service).
     */
    public record Edge(String from, String to, String kind, String where) {
        public Edge(String from, String to, String kind) {
            this(from, to, kind, "");
        }
    }

    /**
     * A service to flag as not seen: none of its instances running (each silent for three heartbeats, or
     * stopped), or, with none known, nothing published for {@code stale}; never a deployed function, which runs
     * only while messages arrive.
     */
    static boolean quiet(ServiceSeen service, Duration stale, Instant now) {
        return !service.deployed() && service.instances().stream().noneMatch(InstanceSeen::running)
                && (!service.instances().isEmpty() || Duration.between(service.lastPublished(), now).compareTo(stale) > 0);
    }

    public static Topology of(Backend backend, Duration stale, Instant now) {
        Operations operations = backend.operations();
        List<Traffic> traffic = operations.traffic();
        List<ServiceSeen> services = ServiceSeen.from(traffic, operations.instances(), now);
        SortedSet<Topic> advertised = backend.catalog().topics();
        Map<RiverName, SortedSet<Topic>> subscribed = new TreeMap<>();
        Map<RiverName, Map<Topic, String>> filters = new TreeMap<>();
        operations.rivers().forEach(river -> {
            subscribed.put(river.river(), river.topics());
            filters.put(river.river(), river.filters());
        });

        Map<String, Node> nodes = new TreeMap<>();
        Set<Edge> edges = new LinkedHashSet<>();
        List<String> flags = new ArrayList<>();
        Set<String> serviceNames = new TreeSet<>();
        services.forEach(s -> serviceNames.add(s.service()));
        Set<String> published = new TreeSet<>();
        Set<String> consumed = new TreeSet<>();

        for (ServiceSeen service : services) {
            boolean quiet = quiet(service, stale, now);
            if (quiet) {
                flags.add("service " + service.service() + " not seen for " + DurationWords.of(Duration.between(
                        service.lastPublished(), now)) + " (last published " + service.lastPublished() + ")");
            }
            nodes.put(serviceId(service.service()), new Node(serviceId(service.service()), "service", service.service(), quiet));
            // what a ServiceStarted announces is anyone's text: a name that is no topic or river is left
            // out of the drawing and said once, so one bad event cannot break the whole topology
            for (String type : service.publishes()) {
                if (Topic.isValid(type)) {
                    edges.add(new Edge(serviceId(service.service()), topicId(type), "publishes"));
                } else {
                    flags.add("service " + service.service() + " announced it publishes '" + Printable.of(type)
                            + "', which is no topic name: left out");
                }
            }
            if (RiverName.isValid(service.river())) {
                edges.add(new Edge(riverId(service.river()), serviceId(service.service()), "read-by"));
            } else if (!service.river().isEmpty()) {
                flags.add("service " + service.service() + " announced the river '" + Printable.of(service.river())
                        + "', which is no river name: left out");
            }
        }
        for (Traffic note : traffic) {
            String publisher = serviceNames.contains(note.domain()) ? serviceId(note.domain()) : "domain:" + note.domain();
            nodes.putIfAbsent(publisher, new Node(publisher, "domain", note.domain(), false));
            edges.add(new Edge(publisher, topicId(note.type().value()), "publishes"));
            published.add(note.type().value());
        }
        subscribed.forEach((river, topics) -> {
            for (Topic topic : topics) {
                edges.add(new Edge(topicId(topic.value()), riverId(river.value()), "flows-into",
                        filters.get(river).getOrDefault(topic, "")));
                consumed.add(topic.value());
                if (!published.contains(topic.value())) {
                    flags.add("river " + river + " is subscribed to " + topic + ", which nobody has published");
                }
            }
        });
        for (Topic topic : advertised) {
            if (!consumed.contains(topic.value())) {
                flags.add("topic " + topic + " is advertised but no river consumes it");
            }
        }
        Set<String> types = new TreeSet<>(published);
        types.addAll(consumed);
        advertised.forEach(t -> types.add(t.value()));
        for (Edge edge : edges) {
            if (edge.kind().equals("publishes")) {
                types.add(edge.to().substring("topic:".length()));
            }
        }
        for (String type : types) {
            boolean flagged = (advertised.contains(Topic.of(type)) && !consumed.contains(type))
                    || (consumed.contains(type) && !published.contains(type));
            nodes.put(topicId(type), new Node(topicId(type), "topic", type, flagged));
        }
        for (Map.Entry<RiverName, SortedSet<Topic>> river : subscribed.entrySet()) {
            boolean flagged = river.getValue().stream().anyMatch(t -> !published.contains(t.value()));
            nodes.put(riverId(river.getKey().value()), new Node(riverId(river.getKey().value()), "river", river.getKey().value(), flagged));
        }
        // a service may name a river that is gone: draw it anyway, so the arrow has both ends
        for (Edge edge : edges) {
            nodes.putIfAbsent(edge.from(), new Node(edge.from(), edge.from().substring(0, edge.from().indexOf(':')),
                    edge.from().substring(edge.from().indexOf(':') + 1), false));
        }
        return new Topology(nodes, edges, flags);
    }

    private static String serviceId(String name) {
        return "service:" + name;
    }

    private static String topicId(String type) {
        return "topic:" + type;
    }

    private static String riverId(String river) {
        return "river:" + river;
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        var nodesJson = json.putArray("nodes");
        nodes.values().forEach(n -> nodesJson.addObject().put("id", n.id()).put("kind", n.kind()).put("label", n.label())
                .put("flagged", n.flagged()));
        var edgesJson = json.putArray("edges");
        edges.forEach(e -> {
            ObjectNode edge = edgesJson.addObject().put("from", e.from()).put("to", e.to()).put("kind", e.kind());
            if (!e.where().isEmpty()) {
                edge.put("where", e.where());
            }
        });
        var flagsJson = json.putArray("flags");
        flags.forEach(flagsJson::add);
        return json;
    }

    /** One sentence per arrow, grouped by kind, then the flags. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (String kind : List.of("publishes", "flows-into", "read-by")) {
            for (Edge edge : edges.stream().sorted(Comparator.comparing(Edge::from).thenComparing(Edge::to)).toList()) {
                if (!edge.kind().equals(kind)) {
                    continue;
                }
                String from = nodes.get(edge.from()).label();
                String to = nodes.get(edge.to()).label();
                text.append(switch (kind) {
                    case "publishes" -> nodes.get(edge.from()).kind() + " " + from + " publishes " + to;
                    case "flows-into" -> "topic " + from + " flows into river " + to
                            + (edge.where().isEmpty() ? "" : " where " + edge.where());
                    default -> "river " + from + " is read by service " + to;
                }).append('\n');
            }
        }
        if (edges.isEmpty()) {
            text.append("nothing published, subscribed or started yet\n");
        }
        flags.forEach(flag -> text.append("flag: ").append(flag).append('\n'));
        return text.toString();
    }

    /** A Mermaid flowchart, left to right; flagged boxes drawn in red. */
    public String mermaid() {
        Map<String, String> ids = shortIds();
        StringBuilder text = new StringBuilder("flowchart LR\n");
        for (Node node : nodes.values()) {
            String label = mermaidText(node.label());
            text.append("  ").append(ids.get(node.id())).append(switch (node.kind()) {
                case "topic" -> "([\"" + label + "\"])";
                case "river" -> "[(\"" + label + "\")]";
                case "service" -> "[[\"" + label + "\"]]";
                default -> "[\"" + label + "\"]";
            }).append('\n');
        }
        for (Edge edge : edges) {
            text.append("  ").append(ids.get(edge.from())).append(" --> ").append(ids.get(edge.to())).append('\n');
        }
        String flagged = nodes.values().stream().filter(Node::flagged).map(n -> ids.get(n.id()))
                .collect(Collectors.joining(","));
        if (!flagged.isEmpty()) {
            text.append("  classDef flagged stroke:#c00,stroke-width:3px\n  class ").append(flagged).append(" flagged\n");
        }
        return text.toString();
    }

    /** A Graphviz digraph, left to right; flagged boxes drawn in red. */
    public String dot() {
        StringBuilder text = new StringBuilder("digraph rapids {\n  rankdir=LR;\n");
        for (Node node : nodes.values()) {
            text.append("  ").append(quoted(node.id())).append(" [label=").append(quoted(node.label())).append(", shape=")
                    .append(switch (node.kind()) {
                        case "topic" -> "ellipse";
                        case "river" -> "cylinder";
                        case "service" -> "box3d";
                        default -> "box";
                    }).append(node.flagged() ? ", color=red" : "").append("];\n");
        }
        for (Edge edge : edges) {
            text.append("  ").append(quoted(edge.from())).append(" -> ").append(quoted(edge.to())).append(";\n");
        }
        return text.append("}\n").toString();
    }

    private Map<String, String> shortIds() {
        Map<String, String> ids = new TreeMap<>();
        int n = 0;
        for (String id : nodes.keySet()) {
            ids.put(id, "n" + n++);
        }
        return ids;
    }

    /**
     * A label as Mermaid shows it and nothing more: every character other than letters, digits, space and
     * {@code _ . : -} becomes an entity code ({@code #60;}), so no markup, link or quote gets through.
     */
    static String mermaidText(String label) {
        StringBuilder text = new StringBuilder();
        label.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || " _.:-".indexOf(c) >= 0)) {
                text.appendCodePoint(c);
            } else {
                text.append('#').append(c).append(';');
            }
        });
        return text.toString();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
