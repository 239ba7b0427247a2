package org.rapidsrivers.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.json.Json;

/**
 * Understands a log line in CloudWatch's Embedded Metric Format as CloudWatch reads it: the directive
 * under {@code _aws} names the metrics and dimensions, and each must be a top-level member of the line
 * (numbers for metrics, strings for dimensions). Lines that are not EMF give empty.
 */
public record EmfLine(String namespace, Map<String, String> dimensions, Map<String, Long> metrics) {
    public static Optional<EmfLine> parse(String text) {
        JsonNode line = Json.parse(text);
        JsonNode directive = line.path("_aws");
        if (directive.isMissingNode()) {
            return Optional.empty();
        }
        if (!directive.path("Timestamp").isIntegralNumber()) {
            throw new AssertionError("EMF line without a numeric _aws.Timestamp: " + text);
        }
        JsonNode metricsDirective = directive.path("CloudWatchMetrics").path(0);
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonNode set : metricsDirective.path("Dimensions")) {
            for (JsonNode name : set) {
                JsonNode value = line.path(name.asText());
                if (!value.isTextual()) {
                    throw new AssertionError("EMF dimension " + name + " is not a string member of the line: " + text);
                }
                dimensions.put(name.asText(), value.asText());
            }
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        for (JsonNode metric : metricsDirective.path("Metrics")) {
            String name = metric.path("Name").asText();
            JsonNode value = line.path(name);
            if (!value.isNumber()) {
                throw new AssertionError("EMF metric " + name + " is not a number member of the line: " + text);
            }
            if (!List.of("Count", "Milliseconds").contains(metric.path("Unit").asText())) {
                throw new AssertionError("EMF metric " + name + " has an unexpected unit: " + text);
            }
            metrics.put(name, value.asLong());
        }
        if (metrics.isEmpty()) {
            throw new AssertionError("EMF line with no metrics: " + text);
        }
        return Optional.of(new EmfLine(metricsDirective.path("Namespace").asText(), dimensions, metrics));
    }
}
