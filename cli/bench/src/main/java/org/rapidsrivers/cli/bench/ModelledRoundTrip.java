package org.rapidsrivers.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.rapidsrivers.core.InvalidInput;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Understands the time a call to an AWS service takes in a region, which an emulator on this machine
 * does not: every request waits, before it is sent, the round trip modelled for its service. The
 * default, 20 ms, is the same-region latency the SQS Developer Guide gives as its example ("Increasing
 * throughput using horizontal scaling and action batching"); other services are taken to be alike
 * unless told (--rtt sns=15ms,kinesis=25ms).
 */
public final class ModelledRoundTrip implements ExecutionInterceptor {
    static final Duration DEFAULT = Duration.ofMillis(20);
    private final Duration fallback;
    private final Map<String, Duration> byService;

    private ModelledRoundTrip(Duration fallback, Map<String, Duration> byService) {
        this.fallback = fallback;
        this.byService = byService;
    }

    /** "20ms", or "20ms,sns=15ms", or "sqs=20ms,kinesis=25ms" (services not named get 20 ms). */
    public static ModelledRoundTrip parse(String text) {
        Duration fallback = DEFAULT;
        Map<String, Duration> byService = new HashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 1) {
                fallback = millis(pair[0]);
            } else {
                byService.put(pair[0].strip().toLowerCase(Locale.ROOT), millis(pair[1]));
            }
        }
        return new ModelledRoundTrip(fallback, byService);
    }

    public Map<String, Long> describe() {
        Map<String, Long> shown = new HashMap<>();
        shown.put("default", fallback.toMillis());
        byService.forEach((service, rtt) -> shown.put(service, rtt.toMillis()));
        return shown;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)).toLowerCase(Locale.ROOT);
        Duration wait = byService.getOrDefault(service, fallback);
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration millis(String text) {
        String value = text.strip();
        if (!value.matches("\\d{1,4}ms")) {
            throw new InvalidInput("--rtt '" + value + "' is not a round trip: use milliseconds such as 20ms, for all services"
                    + " or per service (sqs=20ms,sns=15ms)");
        }
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
}
