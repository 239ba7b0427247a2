package org.rapidsrivers.hosts.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands where a stage's archive lies in S3 and how its objects are named, the same for the
 * delivery stream of the templates (cfn/infrastructure.yaml) and the host that stands in for it on an
 * emulator: {@code events/year=YYYY/month=MM/day=DD/hour=HH/} by arrival (UTC), the Hive-style
 * partitions Athena's partition projection reads; objects named so that their keys sort by the time
 * they were written; one event per line, its bytes as they reached the rapids.
 */
public final class ArchiveLayout {
    static final String EVENTS = "events/";
    static final String REPLAYS = "replays/";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'year='yyyy'/month='MM'/day='dd'/hour='HH'/'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSS").withZone(ZoneOffset.UTC);

    private ArchiveLayout() {
    }

    /** The bucket, named as the template names it: one per stage, account and region. */
    static String bucket(Stage stage, String account, String region) {
        return "rr-" + stage.value() + "-archive-" + account + "-" + region;
    }

    /** The policy rr provision gives the archive bucket, as the stack's does: nothing without TLS, whoever asks. */
    static String tlsOnlyPolicy(String bucket) {
        var deny = Json.object();
        deny.put("Sid", "DenyWithoutTls");
        deny.put("Effect", "Deny");
        deny.put("Principal", "*");
        deny.put("Action", "s3:*");
        deny.putArray("Resource").add("arn:aws:s3:::" + bucket).add("arn:aws:s3:::" + bucket + "/*");
        deny.putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
        var policy = Json.object();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement").add(deny);
        return Json.compact(policy);
    }

    public static String hourPrefix(Instant arrival) {
        return EVENTS + HOUR.format(arrival);
    }

    /** The folder of a day's hours: {@code events/year=YYYY/month=MM/day=DD/}. */
    static String dayPrefix(Instant arrival) {
        String hour = hourPrefix(arrival);
        return hour.substring(0, hour.lastIndexOf("hour="));
    }

    /** An object the stand-in writes: sorted by when, then by shard and first sequence number. */
    static String objectKey(Stage stage, Instant written, String shard, String firstSequence) {
        return hourPrefix(written) + "rr-" + stage.value() + "-archive-" + WRITTEN.format(written) + "-" + shard + "-"
                + firstSequence;
    }

    /** The arrival hour of an object's key, from its partition folders. */
    public static Instant hourOf(String key) {
        String[] parts = key.substring(EVENTS.length()).split("/");
        return Instant.parse(value(parts[0]) + "-" + value(parts[1]) + "-" + value(parts[2]) + "T" + value(parts[3]) + ":00:00Z");
    }

    private static String value(String folder) {
        return folder.substring(folder.indexOf('=') + 1);
    }
}
