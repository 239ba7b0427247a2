package org.rapidsrivers.hosts.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.rivers.SqsBatches;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.ArchiveSummary;
import org.rapidsrivers.core.archive.ArchivedEvent;
import org.rapidsrivers.core.archive.BufferedCursor;
import org.rapidsrivers.core.archive.ReplayState;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.ports.Delivery;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Understands a stage's archive on AWS: S3 objects in {@link ArchiveLayout}, read for a window by listing
 * only the hours of the window (keys sort by time) and reading those objects line by line, in key order
 * and line order (per shard, and so per partition key, the order the events arrived). A replay sends into
 * the river's queue in batches of ten, each message with the replay's generation as an attribute, and
 * notes its progress in {@code replays/<generation>.json} after each batch: killed, it resumes after the
 * last noted batch, so at most one batch (ten events) is sent twice, which the River API skips by
 * eventId and generation. Event counts come from what the fan-out counted, not from reading every object.
 */
public final class S3Archive implements Archive {
    /** Firehose delivers at the end of its buffer interval (60 s in the template); the stand-in per batch. */
    static final Duration AWS_ARCHIVE_DELAY = Duration.ofSeconds(70);
    static final Duration EMULATOR_ARCHIVE_DELAY = Duration.ofSeconds(3);

    private final AwsBackend aws;
    private final S3Client s3;
    private final Clock clock;
    private final Duration seam;
    private String bucket;
    private String owner;

    public S3Archive(AwsBackend aws, Duration seam) {
        this.aws = aws;
        this.s3 = client(aws);
        this.clock = Clock.systemUTC();
        this.seam = seam;
    }

    public static S3Client client(AwsBackend aws) {
        return aws.clients().configured(S3Client.builder(), "s3").forcePathStyle(aws.settings().emulated()).build();
    }

    /** The stage's archive bucket: named by the account of its rapids, which Kinesis says. */
    public static String bucketOf(AwsBackend aws) {
        return ArchiveLayout.bucket(aws.stage(), accountOf(aws), aws.clients().region().id());
    }

    /**
     * The account of the stage's rapids: the archive bucket's owner, which every call on the bucket names
     * (ExpectedBucketOwner), so a bucket of that name in another account is never read or written.
     */
    static String accountOf(AwsBackend aws) {
        String stream = aws.settings().rapidsStream();
        String arn = AwsErrors.call("kinesis:DescribeStreamSummary", "Kinesis stream " + stream, aws.stage().value(),
                () -> aws.clients().kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN());
        return arn.split(":")[4];
    }

    /** Whether the stage has its archive bucket (a stage made before the archive has not). */
    static boolean exists(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException missing) {
            return false;
        } catch (S3Exception other) {
            if (other.statusCode() == 404) {
                return false;
            }
            throw other;
        }
    }

    /**
     * Makes the stage's archive bucket when it is not there (what the stage's stack does on AWS): encrypted with
     * the stage's key, no public access; the line to say.
     */
    public static String provision(AwsBackend aws) {
        S3Client s3 = client(aws);
        String name = bucketOf(aws);
        if (exists(s3, name)) {
            return "archive bucket " + name + " already there";
        }
        String region = aws.clients().region().id();
        AwsErrors.call("s3:CreateBucket", "S3 bucket " + name, aws.stage().value(), () -> s3.createBucket(b -> {
            b.bucket(name);
            if (!region.equals("us-east-1")) {
                b.createBucketConfiguration(c -> c.locationConstraint(region));
            }
        }));
        AwsErrors.call("s3:PutBucketEncryption", "S3 bucket " + name, aws.stage().value(), () -> s3.putBucketEncryption(b -> b
                .bucket(name).serverSideEncryptionConfiguration(c -> c.rules(r -> r.bucketKeyEnabled(true)
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms").kmsMasterKeyID(aws.stage().keyAlias()))))));
        AwsErrors.call("s3:PutPublicAccessBlock", "S3 bucket " + name, aws.stage().value(), () -> s3.putPublicAccessBlock(b -> b
                .bucket(name).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).blockPublicPolicy(true)
                        .ignorePublicAcls(true).restrictPublicBuckets(true))));
        // over plain HTTP (an emulator on this machine) a TLS-only policy would refuse rr itself: moto enforces it
        boolean plainHttp = Optional.ofNullable(aws.settings().serviceEndpoints().get("s3")).or(() -> aws.settings().endpoint()).map(uri -> "http".equalsIgnoreCase(uri.getScheme())).orElse(false);
        if (!plainHttp) {
            AwsErrors.call("s3:PutBucketPolicy", "S3 bucket " + name, aws.stage().value(), () -> s3.putBucketPolicy(b -> b
                    .bucket(name).policy(ArchiveLayout.tlsOnlyPolicy(name))));
        }
        return "made archive bucket " + name + " (" + (plainHttp ? "no TLS-only policy: its endpoint is plain HTTP"
                : "TLS only") + "; kept for ever: the archive's retention is set by rr deploy)";
    }

    private String bucket() {
        if (bucket == null) {
            owner = accountOf(aws);
            String name = ArchiveLayout.bucket(aws.stage(), owner, aws.clients().region().id());
            if (!AwsErrors.call("s3:HeadBucket", "S3 bucket " + name, aws.stage().value(), () -> exists(s3, name))) {
                throw new BackendUnavailable("stage " + aws.stage() + " has no archive (S3 bucket " + name + "): run rr provision"
                        + " or make deploy to make it; events are archived from then on");
            }
            bucket = name;
        }
        return bucket;
    }

    @Override
    public Cursor open(ArchiveQuery query, String after) {
        return new ObjectCursor(query, after);
    }

    /** The archive's objects that may hold events of the window, in key order: from its first hour to its last. */
    private List<S3Object> objectsOf(Instant since, Instant until, String afterKey) {
        String from = ArchiveLayout.hourPrefix(since);
        String upTo = ArchiveLayout.hourPrefix(until.plus(Duration.ofHours(1)));
        String startAfter = afterKey.compareTo(from) > 0 ? afterKey : from.substring(0, from.length() - 1);
        List<S3Object> objects = new ArrayList<>();
        AwsErrors.call("s3:ListObjectsV2", "S3 bucket " + bucket(), aws.stage().value(), () -> {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket()).expectedBucketOwner(owner).prefix(ArchiveLayout.EVENTS).startAfter(startAfter))
                    .contents()) {
                if (object.key().compareTo(upTo) >= 0) {
                    break;
                }
                objects.add(object);
            }
            return null;
        });
        return objects;
    }

    private List<String> linesOf(String key) {
        return AwsErrors.call("s3:GetObject", "S3 object " + key, aws.stage().value(), () -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(s3.getObject(b -> b.bucket(bucket()).expectedBucketOwner(owner).key(key)),
                    StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * With {@code detailed} (rr archive) every object is listed, for their number and bytes; without (rr
     * status) only the two ends are looked for, so a status costs a few calls however much the archive keeps.
     */
    @Override
    public ArchiveSummary summary(boolean detailed) {
        Extent extent = detailed ? everyObject() : ends();
        SortedMap<String, Long> byType = new TreeMap<>();
        long events = 0;
        for (Traffic traffic : aws.operations().traffic()) {
            byType.merge(traffic.type().value(), traffic.count(), Long::sum);
            events += traffic.count();
        }
        return new ArchiveSummary(events, extent.bytes(), extent.first().map(ArchiveLayout::hourOf),
                extent.last().map(key -> ArchiveLayout.hourOf(key).plus(Duration.ofHours(1))),
                detailed ? byType : new TreeMap<>(), retention(), "s3://" + bucket() + "/" + ArchiveLayout.EVENTS
                        + (extent.objects() < 0 ? "" : " (" + extent.objects() + " objects)"),
                "routed by the fan-out since the stage began (the archive keeps them until its retention)");
    }

    /** The archive's objects: how many and their bytes (-1 when not counted), the first key and the last. */
    private record Extent(long objects, long bytes, Optional<String> first, Optional<String> last) {
    }

    private Extent everyObject() {
        long objects = 0;
        long bytes = 0;
        String first = null;
        String last = null;
        for (S3Object object : listed(ArchiveLayout.EVENTS, Integer.MAX_VALUE)) {
            objects++;
            bytes += object.size();
            first = first == null ? object.key() : first;
            last = object.key();
        }
        return new Extent(objects, bytes, Optional.ofNullable(first), Optional.ofNullable(last));
    }

    /**
     * The first key in one call; the last by listing the days from today back to the first key's, newest
     * first, until one has objects (keys sort by time, so its last is the archive's): for a stage that
     * archived today, three calls.
     */
    private Extent ends() {
        Optional<String> first = listed(ArchiveLayout.EVENTS, 1).stream().findFirst().map(S3Object::key);
        if (first.isEmpty()) {
            return new Extent(0, -1, first, first);
        }
        Instant firstDay = ArchiveLayout.hourOf(first.get()).truncatedTo(ChronoUnit.DAYS);
        for (Instant day = clock.instant().truncatedTo(ChronoUnit.DAYS); !day.isBefore(firstDay);
             day = day.minus(Duration.ofDays(1))) {
            List<S3Object> ofTheDay = listed(ArchiveLayout.dayPrefix(day), Integer.MAX_VALUE);
            if (!ofTheDay.isEmpty()) {
                return new Extent(-1, -1, first, Optional.of(ofTheDay.get(ofTheDay.size() - 1).key()));
            }
        }
        // every object is of a day after today's (a writer whose clock is ahead): the first is all that is known
        return new Extent(-1, -1, first, first);
    }

    /** Up to {@code most} objects under the prefix, in key order. */
    private List<S3Object> listed(String prefix, int most) {
        return AwsErrors.call("s3:ListObjectsV2", "S3 bucket " + bucket(), aws.stage().value(), () ->
                s3.listObjectsV2Paginator(b -> b.bucket(bucket()).expectedBucketOwner(owner).prefix(prefix).maxKeys(Math.min(most, 1000))).contents()
                        .stream().limit(most).toList());
    }

    @Override
    public SortedSet<String> types() {
        SortedSet<String> types = new TreeSet<>();
        aws.operations().traffic().forEach(traffic -> types.add(traffic.type().value()));
        return types;
    }

    /** A note that cannot be read (written by hand, cut short) is passed over: it never stops a replay. */
    @Override
    public Optional<ReplayState> unfinishedReplay(RiverName river, String filter) {
        Optional<ReplayState> found = Optional.empty();
        for (S3Object object : listed(ArchiveLayout.REPLAYS, Integer.MAX_VALUE)) {
            try {
                var note = Json.parse(String.join("\n", linesOf(object.key())));
                if (note.path("river").asText().equals(river.value()) && note.path("filter").asText().equals(filter)
                        && !note.path("finished").asBoolean()) {
                    found = Optional.of(new ReplayState(note.path("generation").asLong(), river, filter,
                            Instant.parse(note.path("since").asText()), Instant.parse(note.path("until").asText()),
                            note.path("position").asText(), note.path("sent").asLong()));
                }
            } catch (RuntimeException unreadable) {
                // not a note of rr's: no replay to resume there
            }
        }
        return found;
    }

    /**
     * The next generation of the stage's replays, 1 for its first: one more than the highest noted, claimed by a
     * conditional write of its note (If-None-Match), so two replays starting at once never share one.
     */
    @Override
    public ReplayState startReplay(RiverName river, ArchiveQuery query) {
        long next = 1 + listed(ArchiveLayout.REPLAYS, Integer.MAX_VALUE).stream().mapToLong(o -> generationIn(o.key())).max().orElse(0);
        for (int attempt = 0; ; attempt++) {
            ReplayState replay = new ReplayState(next, river, query.filter(), query.since(), query.until(), "", 0);
            try {
                note(replay, false, true);
                return replay;
            } catch (S3Exception taken) {
                if (taken.statusCode() != 412 || attempt >= 20) {
                    throw taken;
                }
                next++;
            }
        }
    }

    /** The generation a note's key names ({@code replays/<generation>.json}), 0 for any other key. */
    static long generationIn(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        try {
            return name.endsWith(".json") ? Math.max(0, Long.parseLong(name.substring(0, name.length() - ".json".length()))) : 0;
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    @Override
    public ReplayState deliver(ReplayState replay, List<ArchivedEvent> batch) {
        send(replay.river(), batch, replay.generation());
        ReplayState after = replay.advancedTo(batch.get(batch.size() - 1).position(), batch.size());
        note(after, false);
        return after;
    }

    @Override
    public void finish(ReplayState replay) {
        note(replay, true, false);
    }

    private void note(ReplayState replay, boolean finished) {
        note(replay, finished, false);
    }

    /** Writes the replay's note; {@code claim}: only if no note of that generation is there yet (else S3 answers 412). */
    private void note(ReplayState replay, boolean finished, boolean claim) {
        ObjectNode note = Json.object();
        note.put("generation", replay.generation());
        note.put("river", replay.river().value());
        note.put("filter", replay.filter());
        note.put("since", replay.since().toString());
        note.put("until", replay.until().toString());
        note.put("position", replay.position());
        note.put("sent", replay.sent());
        note.put("finished", finished);
        String key = ArchiveLayout.REPLAYS + replay.generation() + ".json";
        AwsErrors.call("s3:PutObject", "S3 object " + key, aws.stage().value(), () -> s3.putObject(b -> {
            b.bucket(bucket()).expectedBucketOwner(owner).key(key).contentType("application/json");
            if (claim) {
                b.ifNoneMatch("*");
            }
        }, RequestBody.fromString(Json.compact(note))));
    }

    /**
     * Sends in order, in calls of at most ten and 1 MiB ({@link SqsBatches}); what SQS did not take is sent again,
     * up to five times with a pause between, then the replay stops in one line (run again, it resumes).
     */
    private void send(RiverName river, List<ArchivedEvent> events, long generation) {
        String queue = aws.stage().riverQueue(river);
        String url = AwsErrors.call("sqs:GetQueueUrl", "SQS queue " + queue, aws.stage().value(),
                () -> aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl());
        Map<String, MessageAttributeValue> attributes = generation > 0 ? Map.of(Delivery.REPLAY_ATTRIBUTE,
                MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(generation)).build()) : Map.of();
        SqsBatches batches = new SqsBatches(aws.clients().sqs(), aws.stage());
        List<ArchivedEvent> left = events;
        for (int attempt = 1; !left.isEmpty(); attempt++) {
            List<String> why = new ArrayList<>();
            Set<ArchivedEvent> sent = Collections.newSetFromMap(new IdentityHashMap<>());
            sent.addAll(batches.send(queue, url, left, e -> new SqsBatches.Outgoing(e.data(), attributes), (e, reason) -> why.add(reason)));
            left = left.stream().filter(e -> !sent.contains(e)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (attempt == 5) {
                throw new BackendUnavailable(left.size() + " event(s) could not be sent into river " + river + " (" + why.get(0)
                        + "); run it again: it goes on from where it stopped");
            }
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendUnavailable("cancelled while sending into river " + river);
            }
        }
    }

    /**
     * SNS applies a new subscription or filter policy within minutes, not at once: the archive's events of the
     * topic from {@code from} until the seam past the subscription are sent, once the archive holds them; the
     * live events of the seam arrive too, and the River API skips the second of each (same eventId).
     */
    @Override
    public long backfill(RiverName river, Topic topic, Instant from, Instant subscribedAt) {
        if (!aws.subscriptions().topicsOf(river).contains(topic)) {
            throw new InvalidInput("river '" + river + "' is not subscribed to " + topic + ": subscribe it first");
        }
        Instant until = subscribedAt.plus(seam);
        Duration delay = aws.settings().emulated() ? EMULATOR_ARCHIVE_DELAY : AWS_ARCHIVE_DELAY;
        sleepUntil(until.plus(delay));
        ArchiveQuery query = new ArchiveQuery(from, until, new TreeSet<>(List.of(topic)), Optional.empty(), Optional.empty());
        long sent = 0;
        List<ArchivedEvent> batch = new ArrayList<>();
        try (Cursor cursor = open(query, "")) {
            while (cursor.hasNext()) {
                batch.add(cursor.next());
                if (batch.size() == 100 || !cursor.hasNext()) {
                    send(river, batch, 0);
                    sent += batch.size();
                    batch.clear();
                }
            }
        }
        return sent;
    }

    private void sleepUntil(Instant when) {
        long wait = Duration.between(clock.instant(), when).toMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidInput("backfill cancelled before it sent anything");
            }
        }
    }

    /**
     * On AWS the retention is the infrastructure stack's parameter, kept by CloudFormation: nobody who operates
     * the stage may expire its history (the bucket's policy denies lifecycle changes made other than through
     * CloudFormation), so this says how, in one line, and changes nothing.
     */
    @Override
    public void retain(Optional<Duration> keepFor) {
        throw new InvalidInput("on AWS the archive's retention is the stage's stack parameter ArchiveRetentionDays, not an"
                + " operator's to change: rr deploy --archive-retention " + keepFor.map(d -> d.toDays() + "d").orElse("keep")
                + " (as the deploying user) sets it");
    }

    private Optional<String> retention() {
        try {
            return s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket()).expectedBucketOwner(owner)).rules().stream()
                    .filter(rule -> rule.expiration() != null && rule.expiration().days() != null)
                    .map(rule -> rule.expiration().days() + "d").findFirst();
        } catch (S3Exception none) {
            return Optional.empty();
        }
    }

    /** Reads the window's objects one at a time, keeping only the lines the query wants. */
    private final class ObjectCursor extends BufferedCursor {
        private final ArchiveQuery query;
        private final Iterator<S3Object> objects;
        private final String afterKey;
        private final int afterLine;

        ObjectCursor(ArchiveQuery query, String after) {
            this.query = query;
            int hash = after.lastIndexOf('#');
            this.afterKey = hash < 0 ? "" : after.substring(0, hash);
            this.afterLine = hash < 0 ? -1 : Integer.parseInt(after.substring(hash + 1));
            // the object a replay stopped in is read again, from the line after its position
            String startAfter = afterKey.isEmpty() ? "" : afterKey.substring(0, afterKey.length() - 1);
            this.objects = objectsOf(query.since(), query.until(), startAfter).iterator();
        }

        @Override
        protected boolean readMore(Consumer<ArchivedEvent> wanted) {
            if (!objects.hasNext()) {
                return false;
            }
            String key = objects.next().key();
            List<String> lines = linesOf(key);
            for (int line = key.equals(afterKey) ? afterLine + 1 : 0; line < lines.size(); line++) {
                wanted(key, line, lines.get(line)).ifPresent(wanted);
            }
            return true;
        }

        private Optional<ArchivedEvent> wanted(String key, int line, String data) {
            if (data.isBlank()) {
                return Optional.empty();
            }
            Event event;
            Instant time;
            try {
                event = Event.parseRoutable(data);
                time = event.timestamp();
            } catch (RuntimeException notAnEvent) {
                return Optional.empty();
            }
            if (time.isBefore(query.since()) || !time.isBefore(query.until()) || !query.wants(event)) {
                return Optional.empty();
            }
            return Optional.of(new ArchivedEvent(key + "#" + line, event.partitionKey(), data, time));
        }
    }
}
