package org.rapidsrivers.aws.operate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.rapidsrivers.aws.AwsClients;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.rivers.RiverQueues;
import org.rapidsrivers.aws.rivers.SnsSubscriptions;
import org.rapidsrivers.aws.rivers.SqsBatches;
import org.rapidsrivers.aws.tables.DynamoOutcomes;
import org.rapidsrivers.aws.tables.DynamoFailureNotes;
import org.rapidsrivers.aws.tables.DynamoTraffic;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.FutureStamp;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.operate.RapidsTail;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Understands the operator's questions on AWS: the rivers' queues and subscriptions read side by side,
 * the locally hosted planes' checkpoints against the streams, the dead-letter queues read without
 * taking and moved on with a journal (kept in the shell's data directory) so an interrupted move sends
 * nothing twice, and the fan-out's traffic notes in the catalog table.
 */
public final class AwsOperations implements Operations {
    /** Calls in flight at once for status: enough for a hundred rivers in well under two seconds. */
    private static final int PARALLEL_CALLS = 16;

    private final AwsClients clients;
    private final AwsSettings settings;
    private final RiverQueues queues;
    private final SqsRiverStatus status;
    private final SqsQueueMove move;
    private final KinesisLag lag;
    private final DynamoTraffic traffic;
    private final DynamoFailureNotes failures;
    private volatile Path journals = Path.of(".rapids");
    private volatile DynamoOutcomes ledger;

    public AwsOperations(AwsClients clients, AwsSettings settings, RiverQueues queues, SnsSubscriptions subscriptions,
                  DynamoTraffic traffic, Clock clock) {
        this.clients = clients;
        this.settings = settings;
        this.queues = queues;
        this.status = new SqsRiverStatus(clients.sqs(), settings.stage(), subscriptions);
        this.move = new SqsQueueMove(clients.sqs(), settings.stage());
        this.lag = new KinesisLag(clients.kinesis(), clients.dynamoDb(), settings.stage(), clock, settings.emulator());
        this.traffic = traffic;
        this.failures = new DynamoFailureNotes(clients.dynamoDb(), settings.stage(), clock);
    }

    public void ledgerIn(DynamoOutcomes outcomes) {
        this.ledger = outcomes;
    }

    @Override
    public OptionalLong outcomesRecorded() {
        return ledger == null ? OptionalLong.empty() : OptionalLong.of(ledger.count());
    }

    /** Where the redrive journals are kept (the shell's data directory). */
    public void journalsIn(Path directory) {
        this.journals = directory;
    }

    private Stage stage() {
        return settings.stage();
    }

    @Override
    public List<RiverStatus> rivers() {
        return statuses(List.of());
    }

    @Override
    public RiverStatus river(RiverName river) {
        requireExists(river);
        return statuses(List.of(river)).get(0);
    }

    private List<RiverStatus> statuses(List<RiverName> wanted) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CALLS);
        try {
            return status.rivers(wanted, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public List<ConsumerLag> lag() {
        List<ConsumerLag> all = new ArrayList<>(lag.of(settings.rapidsStream(), Plane.FANOUT.consumer()));
        all.addAll(lag.of(settings.controlStream(), Plane.CONTROL.consumer()));
        return all;
    }

    @Override
    public List<RiverDeadLetter> deadLetters(RiverName river, int max) {
        String name = stage().riverDeadLetterQueue(river);
        return move.peek(name, deadLetterQueueUrl(river), max).stream().map(m -> letter(river, m)).toList();
    }

    @Override
    public List<RiverDeadLetter> discardDeadLetters(RiverName river, Set<String> ids, int max,
                                                    Consumer<List<RiverDeadLetter>> record) {
        String name = stage().riverDeadLetterQueue(river);
        return move.take(name, deadLetterQueueUrl(river), max, m -> ids.isEmpty() || ids.contains(m.messageId()),
                batch -> record.accept(batch.stream().map(m -> letter(river, m)).toList()))
                .stream().map(m -> letter(river, m)).toList();
    }

    /** A dead letter as SQS holds it: why it is there in its attribute, when its reader said. */
    private static RiverDeadLetter letter(RiverName river, Message message) {
        Optional<DeadLetterNote> note = DeadLetterNote.parse(message.hasMessageAttributes()
                && message.messageAttributes().containsKey(DeadLetterNote.ATTRIBUTE)
                ? message.messageAttributes().get(DeadLetterNote.ATTRIBUTE).stringValue() : null);
        return new RiverDeadLetter(river, message.messageId(), message.body(),
                note.map(DeadLetterNote::receiveCount).orElse(Rivers.MAX_RECEIVES), note);
    }

    @Override
    public List<PlaneDeadLetter> discardPlaneDeadLetters(Plane plane, Set<String> ids, int max,
                                                         Consumer<List<PlaneDeadLetter>> record) {
        PlaneDeadLetterQueue queue = planeQueue(plane);
        List<PlaneDeadLetter> discarded = new ArrayList<>();
        move.take(planeQueueName(plane), planeQueueUrl(plane), max, m -> ids.isEmpty() || ids.contains(m.messageId()), batch -> {
            List<PlaneDeadLetter> letters = new ArrayList<>();
            batch.forEach(m -> letters.addAll(queue.letters(m)));
            record.accept(letters);
            discarded.addAll(letters);
        });
        return discarded;
    }

    @Override
    public long redrive(RiverName river, int max) {
        String name = stage().riverDeadLetterQueue(river);
        String url = deadLetterQueueUrl(river);
        String riverUrl = queues.url(river).orElseThrow();
        RedriveJournal journal = new RedriveJournal(journals.resolve("redrive-" + name + ".journal"));
        return move.move(name, url, max, journal, batch -> sendAll(stage().riverQueue(river), riverUrl, batch));
    }

    /** Sends the messages' bodies as they are, with the attributes a move keeps; the ones SQS took. */
    private List<Message> sendAll(String queueName, String url, List<Message> batch) {
        return new SqsBatches(clients.sqs(), stage()).send(queueName, url, batch, m -> new SqsBatches.Outgoing(m.body(),
                        m.hasMessageAttributes() ? m.messageAttributes().entrySet().stream()
                                .filter(a -> SqsQueueMove.KEPT_ATTRIBUTES.contains(a.getKey()))
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)) : Map.of()),
                (m, why) -> { });
    }

    @Override
    public long planeDeadLetterCount(Plane plane) {
        return move.held(planeQueueName(plane), planeQueueUrl(plane));
    }

    @Override
    public List<PlaneDeadLetter> planeDeadLetters(Plane plane, int max) {
        PlaneDeadLetterQueue queue = planeQueue(plane);
        List<PlaneDeadLetter> letters = new ArrayList<>();
        for (Message message : move.peek(planeQueueName(plane), planeQueueUrl(plane), max)) {
            letters.addAll(queue.letters(message));
        }
        return letters.size() > max ? letters.subList(0, max) : letters;
    }

    /**
     * Puts each letter back at most once per run: a letter whose record this run already put back has
     * come back (the plane gave up on it again, the cause is not fixed), is left in the queue and ends
     * the run, rather than going round the stream and the queue until {@code max}.
     */
    @Override
    public PlaneRedrive redrivePlane(Plane plane, int max) {
        PlaneDeadLetterQueue queue = planeQueue(plane);
        String name = planeQueueName(plane);
        long[] left = {0};
        Set<String> putBack = new HashSet<>();
        Set<String> cameBack = new HashSet<>();
        RedriveJournal journal = new RedriveJournal(journals.resolve("redrive-" + name + ".journal"));
        long moved = move.move(name, planeQueueUrl(plane), max, journal, batch -> {
            List<Message> sent = new ArrayList<>();
            for (Message message : batch) {
                List<PlaneDeadLetter> letters = queue.letters(message);
                List<String> records = letters.stream().map(l -> l.data().orElse("")).toList();
                if (records.stream().anyMatch(putBack::contains)) {
                    cameBack.add(message.messageId());
                } else if (queue.putBack(letters)) {
                    putBack.addAll(records);
                    sent.add(message);
                } else {
                    left[0]++;
                }
            }
            return sent;
        });
        return new PlaneRedrive(moved, left[0], cameBack.size());
    }

    @Override
    public RapidsTail tail() {
        return new KinesisTail(clients.kinesis(), stage(), settings.rapidsStream());
    }

    @Override
    public List<Traffic> traffic() {
        return traffic.all();
    }

    @Override
    public List<InstanceNote> instances() {
        return traffic.instances();
    }

    /**
     * The local hosts' leases stamped by a clock that runs ahead (SQS stamps visibility on its own clock,
     * so no river message can be); none where no host ever ran (no lease table).
     */
    @Override
    public List<FutureStamp> stampedAhead() {
        long now = System.currentTimeMillis();
        String table = stage().hostTable();
        List<FutureStamp> stamps = new ArrayList<>();
        try {
            clients.dynamoDb().scanPaginator(b -> b.tableName(table).filterExpression("begins_with(id, :lease) AND stampedAt > :ahead")
                    .expressionAttributeValues(Map.of(
                            ":lease", AttributeValue.fromS("lease#"),
                            ":ahead", AttributeValue.fromN(Long.toString(now + 1000)))))
                    .items().forEach(item -> {
                        String owner = item.containsKey("owner") ? item.get("owner").s() : "";
                        if (!owner.isEmpty()) {
                            stamps.add(new FutureStamp(
                                    "the lease of " + item.get("id").s().substring("lease#".length()),
                                    "pid " + owner.substring(0, Math.max(0, owner.indexOf('-'))),
                                    Duration.ofMillis(Long.parseLong(item.get("stampedAt").n()) - now), 1));
                        }
                    });
        } catch (ResourceNotFoundException noHostEverRan) {
            return List.of();
        }
        return stamps;
    }

    private PlaneDeadLetterQueue planeQueue(Plane plane) {
        return new PlaneDeadLetterQueue(clients.kinesis(), stage(), plane,
                plane == Plane.FANOUT ? settings.rapidsStream() : settings.controlStream(),
                failures);
    }

    private String planeQueueName(Plane plane) {
        return plane == Plane.FANOUT ? stage().fanOutDeadLetterQueue() : stage().controlDeadLetterQueue();
    }

    private String planeQueueUrl(Plane plane) {
        return queues.urlOf(planeQueueName(plane)).orElseThrow(() -> new BackendUnavailable(
                "SQS queue " + planeQueueName(plane) + " does not exist: run make deploy or rr provision for stage " + stage()));
    }

    private String deadLetterQueueUrl(RiverName river) {
        requireExists(river);
        return queues.urlOf(stage().riverDeadLetterQueue(river)).orElseThrow(() -> new BackendUnavailable(
                "river '" + river + "' has no dead-letter queue " + stage().riverDeadLetterQueue(river)
                        + " (made outside rr?); subscribe it again to make one"));
    }

    private void requireExists(RiverName river) {
        if (queues.url(river).isEmpty()) {
            throw new InvalidInput("river '" + river + "' does not exist in stage " + stage() + " (rr status lists the rivers)");
        }
    }
}
