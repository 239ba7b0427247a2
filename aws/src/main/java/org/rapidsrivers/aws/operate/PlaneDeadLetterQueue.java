package org.rapidsrivers.aws.operate;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.rivers.SqsDeadLetters;
import org.rapidsrivers.aws.tables.DynamoFailureNotes;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.plane.StreamRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Understands the two shapes a plane's dead-letter queue holds and reads both as dead letters: the
 * fan-out's own (a record it can never route: the reason and the record itself) and the on-failure
 * record an event source mapping (or the local host) sends when it gives up on a batch, which says
 * where the batch lies in the stream; those records are read back from the stream while it keeps them.
 */
final class PlaneDeadLetterQueue {
    private final KinesisClient kinesis;
    private final Stage stage;
    private final Plane plane;
    private final String stream;
    private final DynamoFailureNotes notes;

    PlaneDeadLetterQueue(KinesisClient kinesis, Stage stage, Plane plane, String stream, DynamoFailureNotes notes) {
        this.notes = notes;
        this.kinesis = kinesis;
        this.stage = stage;
        this.plane = plane;
        this.stream = stream;
    }

    List<PlaneDeadLetter> letters(Message message) {
        JsonNode body;
        try {
            body = Json.parse(message.body());
        } catch (RuntimeException notJson) {
            return List.of(new PlaneDeadLetter(message.messageId(), plane, "a message rr did not write (not JSON)", "", "", "", sent(message),
                    Optional.of(message.body()), "utf-8", false));
        }
        JsonNode batch = body.path("KinesisBatchInfo");
        if (batch.isObject()) {
            return readBack(message.messageId(), body, batch);
        }
        return List.of(SqsDeadLetters.read(message.messageId(), plane, body, sent(message)));
    }

    /** The records of a given-up batch, as the stream still has them (none past its retention). */
    private List<PlaneDeadLetter> readBack(String id, JsonNode body, JsonNode batch) {
        JsonNode request = body.path("requestContext");
        String reason = request.path("condition").asText("gave up") + " after " + request.path("approximateInvokeCount").asInt()
                + " invocations (" + body.path("responseContext").path("functionError").asText("error") + ")";
        Instant at = body.hasNonNull("timestamp") ? Instant.parse(body.path("timestamp").asText()) : Instant.EPOCH;
        String shard = batch.path("shardId").asText();
        String start = batch.path("startSequenceNumber").asText();
        BigInteger end = new BigInteger(batch.path("endSequenceNumber").asText());
        List<PlaneDeadLetter> letters = new ArrayList<>();
        List<Record> records;
        try {
            String iterator = AwsErrors.call("kinesis:GetShardIterator", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard)
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(start)).shardIterator());
            records = AwsErrors.call("kinesis:GetRecords", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(Math.max(1, batch.path("batchSize").asInt(1)))))
                    .records();
        } catch (RuntimeException gone) {
            records = List.of();
        }
        for (Record record : records) {
            if (new BigInteger(record.sequenceNumber()).compareTo(end) > 0) {
                break;
            }
            byte[] data = record.data().asByteArray();
            String text = StreamRecord.utf8OrNull(data);
            letters.add(new PlaneDeadLetter(id, plane, reason + lastFailure(shard, record.sequenceNumber()), shard,
                    record.sequenceNumber(), record.partitionKey(), at,
                    Optional.of(text != null ? text : Base64.getEncoder().encodeToString(data)),
                    text != null ? "utf-8" : "base64", false));
        }
        if (letters.isEmpty()) {
            letters.add(new PlaneDeadLetter(id, plane, reason + "; the records " + start + ".." + end
                    + " can no longer be read from " + stream, shard, start, "", at, Optional.empty(), "utf-8", false));
        }
        return letters;
    }

    /** Why the plane's handler last failed the record, as it noted it: "; the last failure: ...", or nothing. */
    private String lastFailure(String shard, String sequenceNumber) {
        try {
            return notes.of(plane.consumer(), shard, sequenceNumber).map(why -> "; the last failure: " + why).orElse("");
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** Puts the letters' records back on the stream, all or none; false when any cannot go back. */
    boolean putBack(List<PlaneDeadLetter> letters) {
        if (letters.isEmpty() || !letters.stream().allMatch(PlaneDeadLetter::redrivable)) {
            return false;
        }
        List<PutRecordsRequestEntry> entries = letters.stream().map(letter -> PutRecordsRequestEntry.builder()
                .partitionKey(letter.partitionKey().isEmpty() ? "redriven" : letter.partitionKey())
                .data(SdkBytes.fromByteArray("base64".equals(letter.dataEncoding())
                        ? Base64.getDecoder().decode(letter.data().get())
                        : letter.data().get().getBytes(StandardCharsets.UTF_8))).build()).toList();
        PutRecordsResponse response = AwsErrors.call("kinesis:PutRecords", "Kinesis stream " + stream, stage.value(),
                () -> kinesis.putRecords(b -> b.streamName(stream).records(entries)));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
            throw new BackendUnavailable(response.failedRecordCount() + " of " + entries.size()
                    + " records could not be put back on " + stream + "; run the redrive again");
        }
        return true;
    }

    private static Instant sent(Message message) {
        String at = message.attributesAsStrings().get("SentTimestamp");
        return at == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(at));
    }
}
