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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.cli.CommandFailed;
import org.rapidsrivers.core.operate.Plane;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
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
        Map<String, String> planes = new LinkedHashMap<>(planesParameters);
        planes.put("Stage", stage.stage().value());
        planes.put("ControlCodeKey", upload(bucket, Plane.CONTROL.consumer(), controlJar));
        planes.put("FanOutCodeKey", upload(bucket, Plane.FANOUT.consumer(), fanOutJar));
        planes.put("Emulated", Boolean.toString(aws.settings().emulated()));
        Stacks.Outcome functions = stacks.apply(stage.planesStack(), template("planes.yaml"), planes);
        say.accept("stack " + functions.stack() + ": " + functions.change());
        outcomes.add(functions);
        return outcomes;
    }

    /** The services deployed on this stage, as stacks of their own. */
    public ServiceDeployer services() {
        return new ServiceDeployer(aws, stacks, this, say);
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
        if (outputs.containsKey("ArtifactsBucket")) {
            empty(outputs.get("ArtifactsBucket"));
        }
        say.accept("stack " + stage.infrastructureStack() + ": "
                + (stacks.delete(stage.infrastructureStack()) ? "deleted" : "not there"));
        List<String> tables = List.of(aws.stage().catalogTable(), aws.stage().pondTable());
        if (!force) {
            say.accept("kept: the key " + aws.stage().keyAlias().replace("alias/", "") + ", the catalog table "
                    + tables.get(0) + " and the ponds table " + tables.get(1) + " (FORCE=1 deletes them too)");
            return;
        }
        for (String table : tables) {
            try {
                aws.clients().dynamoDb().updateTable(b -> b.tableName(table).deletionProtectionEnabled(false));
                aws.clients().dynamoDb().deleteTable(b -> b.tableName(table));
                say.accept("dynamodb table " + table + ": deleted");
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException gone) {
                say.accept("dynamodb table " + table + ": already gone");
            }
        }
        if (outputs.containsKey("KeyArn")) {
            // the key's id, which every KMS accepts (moto fails on the ARN with an internal error)
            String arn = outputs.get("KeyArn");
            String keyId = arn.substring(arn.lastIndexOf('/') + 1);
            aws.clients().kms().scheduleKeyDeletion(b -> b.keyId(keyId).pendingWindowInDays(7));
            say.accept("kms key " + arn + ": deletion scheduled in 7 days");
        }
    }

    /** Uploads the jar under its content hash unless it is there already; the key. */
    String upload(String bucket, String plane, Path jar) {
        return upload(bucket, plane, jar, ".jar");
    }

    String upload(String bucket, String plane, Path jar, String suffix) {
        String key = plane + "-" + sha256(jar).substring(0, 16) + suffix;
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            say.accept("artifact " + key + ": already there");
        } catch (S3Exception missing) {
            if (missing.statusCode() != 404) {
                throw missing;
            }
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(jar));
            say.accept("artifact " + key + ": uploaded (" + size(jar) + ")");
        }
        return key;
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
            say.accept("artifacts bucket " + bucket + ": emptied (" + all.size() + " object versions)");
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

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
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
