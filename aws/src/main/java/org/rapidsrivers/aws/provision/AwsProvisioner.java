package org.rapidsrivers.aws.provision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rapidsrivers.aws.AwsClients;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.rivers.SqsRivers;
import org.rapidsrivers.aws.tables.DynamoCatalog;
import org.rapidsrivers.aws.tables.DynamoPond;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Understands how to make a stage's base resources on an AWS-compatible endpoint, idempotently: the
 * KMS key and its alias, the rapids and control streams, the rapids topic, the catalog table, the
 * planes' dead-letter queues and the local host's lease table. It is for emulators and tests;
 * CloudFormation is the way to deploy to AWS.
 */
public final class AwsProvisioner {
    private final AwsClients clients;
    private final AwsSettings settings;
    private final Stage stage;
    private final List<String> report = new ArrayList<>();

    public AwsProvisioner(AwsClients clients, AwsSettings settings) {
        this.clients = clients;
        this.settings = settings;
        this.stage = settings.stage();
    }

    /**
     * Makes the local host's lease table if it is missing (a deployed stage has none: its Lambdas keep
     * their place in the event source mappings); what was done.
     */
    public List<String> hostTable() {
        table(stage.hostTable(), "id");
        return List.copyOf(report);
    }

    /** Makes whatever is missing and says, per resource, whether it was created or already there. */
    public List<String> provision(int rapidsShards) {
        key();
        stream(settings.rapidsStream(), rapidsShards);
        stream(settings.controlStream(), 1);
        topic();
        table(stage.catalogTable(), DynamoCatalog.KEY);
        // what the fan-out notes of each service instance expires a day after the instance last spoke
        expiring(stage.catalogTable(), "expiresAt");
        table(stage.hostTable(), "id");
        pondTable();
        queue(stage.controlDeadLetterQueue());
        queue(stage.fanOutDeadLetterQueue());
        return List.copyOf(report);
    }

    private void key() {
        String alias = stage.keyAlias();
        boolean exists = AwsErrors.call("kms:ListAliases", "KMS alias " + alias, stage.value(),
                () -> clients.kms().listAliasesPaginator(b -> b.limit(100)).aliases().stream()
                        .map(AliasListEntry::aliasName).anyMatch(alias::equals));
        if (exists) {
            report.add("kms key " + alias + ": already there");
            return;
        }
        // made with the default policy first: its metadata names the account the policy must name
        var key = AwsErrors.call("kms:CreateKey", "KMS key for " + alias, stage.value(),
                () -> clients.kms().createKey(b -> b.description("Rapids & Rivers stage " + stage)).keyMetadata());
        String keyId = key.keyId();
        AwsErrors.call("kms:PutKeyPolicy", "KMS key " + keyId, stage.value(), () -> clients.kms().putKeyPolicy(b -> b
                .keyId(keyId).policyName("default").policy(keyPolicy(key.awsAccountId(), clients.region().id(), stage))));
        // as the template's key: rotated every year
        AwsErrors.call("kms:EnableKeyRotation", "KMS key " + keyId, stage.value(),
                () -> clients.kms().enableKeyRotation(b -> b.keyId(keyId)));
        AwsErrors.call("kms:CreateAlias", "KMS alias " + alias, stage.value(),
                () -> clients.kms().createAlias(b -> b.aliasName(alias).targetKeyId(keyId)));
        report.add("kms key " + alias + ": created");
    }

    /**
     * The account may administer the key; SNS may use it to write to the encrypted river queues, only for this
     * stage's topic of this account (as the template's key policy).
     */
    static String keyPolicy(String accountId, String region, Stage stage) {
        String account = "arn:aws:iam::" + accountId + ":root";
        var owner = Json.object();
        owner.put("Sid", "AccountAdministers");
        owner.put("Effect", "Allow");
        owner.putObject("Principal").put("AWS", account);
        owner.put("Action", "kms:*");
        owner.put("Resource", "*");
        var sns = Json.object();
        sns.put("Sid", "SnsWritesToEncryptedQueues");
        sns.put("Effect", "Allow");
        sns.putObject("Principal").put("Service", "sns.amazonaws.com");
        sns.putArray("Action").add("kms:GenerateDataKey*").add("kms:Decrypt");
        sns.put("Resource", "*");
        var condition = sns.putObject("Condition");
        condition.putObject("StringEquals").put("aws:SourceAccount", accountId);
        String topic = "arn:aws:sns:" + region + ":" + accountId + ":" + stage.rapidsTopic();
        // the rapids topic and those the control plane makes past its quota (StageTopics)
        condition.putObject("ArnLike").putArray("aws:SourceArn").add(topic).add(topic + "-*");
        var policy = Json.object();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement").add(owner).add(sns);
        return Json.compact(policy);
    }

    private void stream(String name, int shards) {
        try {
            AwsErrors.call("kinesis:CreateStream", "Kinesis stream " + name, stage.value(),
                    () -> clients.kinesis().createStream(b -> b.streamName(name).shardCount(shards)));
            awaitActive(name);
            encrypt(name);
            report.add("kinesis stream " + name + " (" + shards + " shard" + (shards == 1 ? "" : "s") + "): created");
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException exists) {
            report.add("kinesis stream " + name + ": already there");
        }
    }

    /** Server-side encryption with the stage's key; an emulator that cannot do it is told and goes on. */
    private void encrypt(String name) {
        try {
            clients.kinesis().startStreamEncryption(b -> b.streamName(name).encryptionType(EncryptionType.KMS)
                    .keyId(stage.keyAlias()));
            awaitActive(name);
        } catch (SdkException unsupported) {
            if (!settings.emulated()) {
                // on AWS a stream left unencrypted is not a note: the stage would hold events in the clear
                throw new BackendUnavailable("kinesis stream " + name + " could not be encrypted with "
                        + stage.keyAlias() + " (" + AwsErrors.oneLine(unsupported).orElse(unsupported.getMessage())
                        + "); nothing is sent to it unencrypted: fix the cause and run rr provision again");
            }
            report.add("kinesis stream " + name + ": encryption not supported by this endpoint ("
                    + unsupported.getClass().getSimpleName() + ")");
        }
    }

    /** Polls every 100 ms: the SDK's waiters wait 10 s and more between looks, too slow for an emulator. */
    private void awaitActive(String stream) {
        poll("Kinesis stream " + stream + " to become ACTIVE", () -> clients.kinesis().describeStreamSummary(b -> b
                .streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    private void awaitTable(String table) {
        poll("DynamoDB table " + table + " to become ACTIVE", () -> clients.dynamoDb().describeTable(b -> b
                .tableName(table)).table().tableStatus() == TableStatus.ACTIVE);
    }

    private static void poll(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new BackendUnavailable("gave up waiting 5 minutes for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void topic() {
        String arn = AwsErrors.call("sns:CreateTopic", "SNS topic " + stage.rapidsTopic(), stage.value(),
                () -> clients.sns().createTopic(b -> b.name(stage.rapidsTopic())
                        .attributes(Map.of("KmsMasterKeyId", stage.keyAlias()))).topicArn());
        AwsErrors.call("sns:SetTopicAttributes", "SNS topic " + stage.rapidsTopic(), stage.value(),
                () -> clients.sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("Policy").attributeValue(topicPolicy(arn))));
        report.add("sns topic " + stage.rapidsTopic() + ": ready");
    }

    /** As the template's topic policy: TLS only, and only the stage's own queues subscribed. */
    static String topicPolicy(String topicArn) {
        String[] parts = topicArn.split(":");
        String queues = "arn:" + parts[1] + ":sqs:" + parts[3] + ":" + parts[4] + ":rr-" + parts[5].substring(parts[5].indexOf('-') + 1) + "-*";
        var statements = Json.array();
        statements.addObject().put("Sid", "DenyWithoutTls").put("Effect", "Deny").put("Principal", "*").put("Action", "sns:*")
                .put("Resource", topicArn).putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
        statements.addObject().put("Sid", "OnlyTheStagesQueuesSubscribe").put("Effect", "Deny").put("Principal", "*")
                .put("Action", "sns:Subscribe").put("Resource", topicArn)
                .putObject("Condition").putObject("StringNotLike").put("sns:Endpoint", queues);
        statements.addObject().put("Sid", "OnlyQueuesSubscribe").put("Effect", "Deny").put("Principal", "*")
                .put("Action", "sns:Subscribe").put("Resource", topicArn)
                .putObject("Condition").putObject("StringNotEquals").put("sns:Protocol", "sqs");
        var policy = Json.object().put("Version", "2012-10-17");
        policy.set("Statement", statements);
        return Json.compact(policy);
    }

    private void table(String name, String key) {
        try {
            AwsErrors.call("dynamodb:CreateTable", "DynamoDB table " + name, stage.value(),
                    () -> clients.dynamoDb().createTable(b -> b.tableName(name)
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(AttributeDefinition.builder().attributeName(key)
                                    .attributeType(ScalarAttributeType.S).build())
                            .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
                            .sseSpecification(s -> s.enabled(true).sseType("KMS").kmsMasterKeyId(stage.keyAlias()))));
            awaitTable(name);
            report.add("dynamodb table " + name + ": created");
        } catch (ResourceInUseException exists) {
            requireKeyedBy(name, key);
            report.add("dynamodb table " + name + ": already there");
        }
    }

    /**
     * Services' ponds: keyed by service and key, on demand, encrypted with the stage's key, expiry by
     * DynamoDB's time to live, point-in-time recovery on.
     */
    private void pondTable() {
        String name = stage.pondTable();
        try {
            AwsErrors.call("dynamodb:CreateTable", "DynamoDB table " + name, stage.value(),
                    () -> clients.dynamoDb().createTable(b -> b.tableName(name)
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(
                                    AttributeDefinition.builder().attributeName(DynamoPond.SERVICE).attributeType(ScalarAttributeType.S).build(),
                                    AttributeDefinition.builder().attributeName(DynamoPond.KEY).attributeType(ScalarAttributeType.S).build())
                            .keySchema(KeySchemaElement.builder().attributeName(DynamoPond.SERVICE).keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(DynamoPond.KEY).keyType(KeyType.RANGE).build())
                            .sseSpecification(s -> s.enabled(true).sseType("KMS").kmsMasterKeyId(stage.keyAlias()))));
            awaitTable(name);
            expiring(name, DynamoPond.TTL);
            // what services learned can be restored to any second of the last 35 days, as the stack's table can
            AwsErrors.call("dynamodb:UpdateContinuousBackups", "DynamoDB table " + name, stage.value(),
                    () -> clients.dynamoDb().updateContinuousBackups(b -> b.tableName(name)
                            .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true))));
            report.add("dynamodb table " + name + ": created");
        } catch (ResourceInUseException exists) {
            report.add("dynamodb table " + name + ": already there");
        }
    }

    /** Items of the table with {@code attribute} (epoch seconds) expire then; already so is fine. */
    private void expiring(String name, String attribute) {
        try {
            AwsErrors.call("dynamodb:UpdateTimeToLive", "DynamoDB table " + name, stage.value(),
                    () -> clients.dynamoDb().updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t
                            .enabled(true).attributeName(attribute))));
        } catch (DynamoDbException already) {
            boolean enabled = AwsErrors.call("dynamodb:DescribeTimeToLive", "DynamoDB table " + name, stage.value(),
                    () -> clients.dynamoDb().describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription())
                    .timeToLiveStatusAsString().startsWith("ENABL");
            if (!enabled) {
                throw already;
            }
        }
    }

    /** A table of the same name made by something else must not pass for ours. */
    private void requireKeyedBy(String name, String key) {
        var table = AwsErrors.call("dynamodb:DescribeTable", "DynamoDB table " + name, stage.value(),
                () -> clients.dynamoDb().describeTable(b -> b.tableName(name)).table());
        boolean ours = table.keySchema().size() == 1 && table.keySchema().get(0).attributeName().equals(key)
                && table.attributeDefinitions().stream().anyMatch(a -> a.attributeName().equals(key)
                && a.attributeType() == ScalarAttributeType.S);
        if (!ours) {
            String schema = table.keySchema().stream().map(k -> k.attributeName() + " " + k.keyType()).toList().toString();
            throw new BackendUnavailable("dynamodb table " + name + " exists with key schema "
                    + schema + "; rr needs it keyed by '" + key + "' (a string): delete that table or use another stage");
        }
    }

    private void queue(String name) {
        String url = AwsErrors.call("sqs:CreateQueue", "SQS queue " + name, stage.value(),
                () -> clients.sqs().createQueue(b -> b.queueName(name).attributes(Map.of(
                        QueueAttributeName.KMS_MASTER_KEY_ID, stage.keyAlias(),
                        QueueAttributeName.MESSAGE_RETENTION_PERIOD, SqsRivers.FOURTEEN_DAYS))).queueUrl());
        String arn = clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        var policy = Json.object().put("Version", "2012-10-17");
        policy.putArray("Statement").add(SqsRivers.denyWithoutTls(arn));
        clients.sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, Json.compact(policy))));
        report.add("sqs queue " + name + ": ready");
    }
}
