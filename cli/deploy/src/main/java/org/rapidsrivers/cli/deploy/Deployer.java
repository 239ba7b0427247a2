package org.rapidsrivers.cli.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.aws.rivers.SqsRivers;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.Plane;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Understands how a stage goes onto AWS and comes off it: the infrastructure stack (which makes the
 * artifacts bucket), the planes' jars uploaded under their content hash, then the planes stack; and
 * in reverse, the bucket emptied and both stacks deleted, the key and the catalog kept unless forced.
 */
public final class Deployer implements AutoCloseable {
    private final AwsBackend aws;
    private final StageResources stage;
    private final CloudFormationClient cloudFormation;
    private final S3Client s3;
    private final Stacks stacks;
    private final Consumer<String> say;

    public Deployer(AwsBackend aws, Consumer<String> say) {
        this.aws = aws;
        this.stage = new StageResources(aws.stage());
        this.cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build();
        // emulators answer on one host: path-style addressing instead of a host name per bucket
        this.s3 = aws.clients().configured(S3Client.builder(), "s3").forcePathStyle(aws.settings().emulated()).build();
        this.stacks = new Stacks(cloudFormation, say);
        this.say = say;
    }

    /** Creates or updates both stacks in order; what happened to each. */
    public List<Stacks.Outcome> deploy(Path controlJar, Path fanOutJar, Map<String, String> infrastructureParameters,
                                       Map<String, String> planesParameters) {
        requireFile(controlJar, "control plane");
        requireFile(fanOutJar, "fan-out");
        List<Stacks.Outcome> outcomes = new ArrayList<>();
        Map<String, String> infrastructure = new LinkedHashMap<>(infrastructureParameters);
        infrastructure.put("Stage", stage.stage().value());
        Stacks.Outcome base = stacks.apply(stage.infrastructureStack(), template("infrastructure.yaml"), infrastructure);
        say.accept("stack " + base.stack() + ": " + base.change());
        outcomes.add(base);
        String bucket = base.outputs().get("ArtifactsBucket");
        keepVersions(bucket);
        Map<String, String> planes = new LinkedHashMap<>(planesParameters);
        planes.put("Stage", stage.stage().value());
        Artifact control = upload(bucket, Plane.CONTROL.consumer(), controlJar, ".jar");
        Artifact fanOut = upload(bucket, Plane.FANOUT.consumer(), fanOutJar, ".jar");
        planes.put("ControlCodeKey", control.key());
        planes.put("ControlCodeVersion", control.version());
        planes.put("FanOutCodeKey", fanOut.key());
        planes.put("FanOutCodeVersion", fanOut.version());
        planes.put("Emulated", Boolean.toString(aws.settings().emulated()));
        Stacks.Outcome functions = stacks.apply(stage.planesStack(), template("planes.yaml"), planes);
        say.accept("stack " + functions.stack() + ": " + functions.change());
        outcomes.add(functions);
        tagRiversMadeBefore();
        return outcomes;
    }

    /**
     * Rivers an earlier rr made carry no tag; the control plane's role may change only tagged ones, so they
     * are tagged as its own here (by the deploying user), leaving alone the rivers services' stacks own.
     */
    private void tagRiversMadeBefore() {
        Set<String> ownedByStacks = new HashSet<>();
        for (String service : services().deployed()) {
            if (RiverName.isValid(service)) {
                RiverName river = RiverName.of(service);
                ownedByStacks.add(aws.stage().riverQueue(river));
                ownedByStacks.add(aws.stage().riverDeadLetterQueue(river));
            }
        }
        var sqs = aws.clients().sqs();
        int tagged = 0;
        for (String url : sqs.listQueuesPaginator(b -> b.queueNamePrefix("rr-" + aws.stage().value() + "-")).queueUrls()) {
            String name = url.substring(url.lastIndexOf('/') + 1);
            Map<String, String> tags = sqs.listQueueTags(b -> b.queueUrl(url)).tags();
            if (ownedByStacks.contains(name) || tags.containsKey("rr-made-by") || tags.containsKey(SqsRivers.OWNED_BY)) {
                continue;
            }
            sqs.tagQueue(b -> b.queueUrl(url).tags(SqsRivers.MADE_BY_CONTROL_PLANE));
            tagged++;
        }
        if (tagged > 0) {
            say.accept("tagged " + tagged + " queue(s) an earlier rr made as the control plane's (rr-made-by=control-plane),"
                    + " which its role may change");
        }
    }

    /** The services deployed on this stage, as stacks of their own. */
    public ServiceDeployer services() {
        return new ServiceDeployer(aws, stacks, this, say);
    }

    /** A parameter of the deployed infrastructure stack, empty when the stage was never deployed. */
    Optional<String> infrastructureParameter(String name) {
        return stacks.describe(stage.infrastructureStack()).flatMap(s -> s.parameters().stream()
                .filter(p -> p.parameterKey().equals(name)).map(p -> p.parameterValue()).findFirst());
    }

    /** The infrastructure stack's outputs, empty when the stage was never deployed. */
    Map<String, String> infrastructureOutputs() {
        return stacks.describe(stage.infrastructureStack())
                .map(s -> {
                    Map<String, String> found = new LinkedHashMap<>();
                    s.outputs().forEach(o -> found.put(o.outputKey(), o.outputValue()));
                    return found;
                }).orElse(Map.of());
    }

    /**
     * Deletes the services' stacks, the planes, then the infrastructure; the key and the catalog table stay
     * unless {@code force}.
     */
    public void remove(boolean force) {
        services().removeAll();
        Map<String, String> outputs = infrastructureOutputs();
        say.accept("stack " + stage.planesStack() + ": " + (stacks.delete(stage.planesStack()) ? "deleted" : "not there"));
        // the topics the control plane made past the rapids topic's quota are no stack's: they go with the planes
        removeOtherTopics();
        if (outputs.containsKey("ArtifactsBucket")) {
            empty(outputs.get("ArtifactsBucket"));
        }
        say.accept("stack " + stage.infrastructureStack() + ": "
                + (stacks.delete(stage.infrastructureStack()) ? "deleted" : "not there"));
        List<String> tables = List.of(aws.stage().catalogTable(), aws.stage().pondTable());
        List<String> rivers = riversMadeByTheControlPlane();
        long riverCount = rivers.stream().filter(url -> !url.endsWith("-dlq")).count();
        if (!force) {
            if (riverCount > 0) {
                say.accept("kept: " + riverCount + " river(s) the control plane made, with what waits in them"
                        + " (FORCE=1 deletes them)");
            }
            say.accept("kept: the key " + aws.stage().keyAlias().replace("alias/", "") + ", the catalog table "
                    + tables.get(0) + " and the ponds table " + tables.get(1) + " (FORCE=1 deletes them too)"
                    + (outputs.containsKey("ArchiveBucket") ? "; kept: the archive, bucket " + outputs.get("ArchiveBucket") : ""));
            return;
        }
        if (outputs.containsKey("ArchiveBucket")) {
            // the history of the stage goes only when asked to: its policy, which lets nobody delete an archived
            // event, goes first (the deploying user may remove it; no operator or service may)
            try {
                s3.deleteBucketPolicy(b -> b.bucket(outputs.get("ArchiveBucket")));
            } catch (S3Exception gone) {
                if (gone.statusCode() != 404) {
                    throw gone;
                }
            }
            empty(outputs.get("ArchiveBucket"));
            try {
                s3.deleteBucket(b -> b.bucket(outputs.get("ArchiveBucket")));
                say.accept("archive bucket " + outputs.get("ArchiveBucket") + ": deleted");
            } catch (S3Exception gone) {
                if (gone.statusCode() != 404) {
                    throw gone;
                }
            }
        }
        for (String url : rivers) {
            try {
                aws.clients().sqs().deleteQueue(b -> b.queueUrl(url));
            } catch (QueueDoesNotExistException gone) {
                // deleted meanwhile: what was asked
            }
        }
        if (!rivers.isEmpty()) {
            say.accept("rivers the control plane made: " + riverCount + " deleted, with their dead-letter queues");
        }
        for (String table : tables) {
            try {
                aws.clients().dynamoDb().updateTable(b -> b.tableName(table).deletionProtectionEnabled(false));
                aws.clients().dynamoDb().deleteTable(b -> b.tableName(table));
                say.accept("dynamodb table " + table + ": deleted");
            } catch (ResourceNotFoundException gone) {
                say.accept("dynamodb table " + table + ": already gone");
            }
        }
        try {
            // the leases of a host that ran the planes here (--host-planes), where no Lambda did: no stack's table
            aws.clients().dynamoDb().deleteTable(b -> b.tableName(aws.stage().hostTable()));
            say.accept("dynamodb table " + aws.stage().hostTable() + ": deleted");
        } catch (ResourceNotFoundException never) {
            // the planes always ran as Lambdas
        }
        if (outputs.containsKey("KeyArn")) {
            // the key's id, which every KMS accepts (moto fails on the ARN with an internal error)
            String arn = outputs.get("KeyArn");
            String keyId = arn.substring(arn.lastIndexOf('/') + 1);
            aws.clients().kms().scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(7));
            say.accept("kms key " + arn + ": deletion scheduled in 7 days");
        }
    }

    private void removeOtherTopics() {
        try {
            aws.topics().deleteOthers(aws.routes()).forEach(name -> say.accept("sns topic " + name + ": deleted"));
        } catch (ResourceNotFoundException | BackendUnavailable noCatalog) {
            say.accept("the topics past the rapids topic's quota: " + noCatalog.getMessage());
        }
    }

    /**
     * The queues left of the stage's rivers once the services' stacks are gone (each stack takes its own): the
     * control plane's, and their dead-letter queues.
     */
    private List<String> riversMadeByTheControlPlane() {
        List<String> left = new ArrayList<>();
        var sqs = aws.clients().sqs();
        for (String url : sqs.listQueuesPaginator(b -> b.queueNamePrefix("rr-" + aws.stage().value() + "-")).queueUrls()) {
            Map<String, String> tags = sqs.listQueueTags(b -> b.queueUrl(url)).tags();
            if (!tags.containsKey("aws:cloudformation:stack-name") && !tags.containsKey(SqsRivers.OWNED_BY)) {
                left.add(url);
            }
        }
        return left;
    }

    /**
     * The stacks pin each code object's version, so the bucket must keep versions: the template says so, but an
     * emulator's CloudFormation may not apply it (moto does not), and a suspended bucket would give no version.
     */
    private void keepVersions(String bucket) {
        var status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
        if (status != BucketVersioningStatus.ENABLED) {
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v
                    .status(BucketVersioningStatus.ENABLED)));
            say.accept("artifacts bucket " + bucket + ": versioning was " + (status == null ? "off" : status) + ", turned on"
                    + " (the stacks pin each code object's version)");
        }
    }

    /** Understands code in the artifacts bucket: its key (named by content hash) and the object version the stacks pin. */
    record Artifact(String key, String version) {
    }

    /**
     * Uploads the file under its content hash unless an object of exactly that content is there already (its
     * SHA-256, which S3 keeps and checks, compared: a name alone proves nothing, since whoever may write the
     * bucket could have put other code under it); the key and the version the stacks then pin.
     */
    Artifact upload(String bucket, String plane, Path jar, String suffix) {
        byte[] digest = digest(jar);
        String key = plane + "-" + HexFormat.of().formatHex(digest).substring(0, 16) + suffix;
        String checksum = Base64.getEncoder().encodeToString(digest);
        try {
            var head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            if (checksum.equals(head.checksumSHA256())) {
                say.accept("artifact " + key + ": already there");
                return new Artifact(key, head.versionId() == null ? "" : head.versionId());
            }
            say.accept("artifact " + key + ": in the bucket with other content (its SHA-256 differs or is unknown): uploaded again");
        } catch (S3Exception missing) {
            if (missing.statusCode() != 404) {
                throw missing;
            }
        }
        var put = s3.putObject(b -> b.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum),
                RequestBody.fromFile(jar));
        say.accept("artifact " + key + ": uploaded (" + size(jar) + ")");
        return new Artifact(key, put.versionId() == null ? "" : put.versionId());
    }

    /** Every version and delete marker: a versioned bucket is empty only then. */
    private void empty(String bucket) {
        try {
            var versions = s3.listObjectVersionsPaginator(b -> b.bucket(bucket));
            List<ObjectIdentifier> all = new ArrayList<>();
            versions.versions().forEach(v -> all.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
            versions.deleteMarkers().forEach(m -> all.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
            for (int from = 0; from < all.size(); from += 1000) {
                List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + 1000));
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
            say.accept("bucket " + bucket + ": emptied (" + all.size() + " object versions)");
        } catch (S3Exception gone) {
            if (gone.statusCode() != 404) {
                throw gone;
            }
        }
    }

    static String template(String name) {
        try (InputStream in = Deployer.class.getResourceAsStream("/cfn/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the template " + name + " is not inside rr.jar: rebuild it (make build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireFile(Path jar, String plane) {
        if (!Files.isRegularFile(jar)) {
            throw new CommandFailed("the " + plane + " jar " + jar + " is not there: build it with make package");
        }
    }

    private static byte[] digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String size(Path file) {
        try {
            return String.format("%.1f MB", Files.size(file) / 1e6);
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        cloudFormation.close();
        s3.close();
    }
}
