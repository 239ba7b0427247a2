package org.rapidsrivers.cli.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Retention;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.ports.Visibility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how a user puts a stage on AWS with one command: both CloudFormation stacks created or
 * updated in order, the planes' jars uploaded, what changed printed, and the command to use it.
 */
@Command(name = "deploy", abbreviateSynopsis = true,
        description = "Create or update the stage's CloudFormation stacks (aws backend)")
public final class DeployCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--control-jar", paramLabel = "<jar>", description = "The control plane's Lambda jar (default: the one make package built).")
    Path controlJar;

    @Option(names = "--fanout-jar", paramLabel = "<jar>", description = "The fan-out's Lambda jar (default: the one make package built).")
    Path fanOutJar;

    @Option(names = "--shards", paramLabel = "<n>", defaultValue = "2", description = "Shards of the rapids (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--runtime", paramLabel = "<runtime>", defaultValue = "java21", description = "java17 or java21 (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--fan-out-consumer", description = "Read the rapids through an enhanced fan-out consumer (lower latency, extra cost).")
    boolean enhancedFanOut;

    @Option(names = "--archive-retention", paramLabel = "<days|keep>",
            description = "How long the archive keeps each event from its arrival: 30d, or keep (for ever). Default: as the stack has it (keep for a new stage).")
    String archiveRetention;

    @Option(names = "--service", paramLabel = "<name>", split = ",",
            description = "Deploy these services of --jar as functions, a stack each, on the deployed stage (instead of the stage's own stacks).")
    List<String> services;

    @Option(names = "--jar", paramLabel = "<jar>", description = "The jar holding the services to deploy (its lib/ folder beside it holds their dependencies).")
    Path serviceJar;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "10", description = "Messages a service function gets at once, 1-10 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-concurrency", paramLabel = "<n>", defaultValue = "5", description = "Invocations of a service function at once, 2-1000 (default: ${DEFAULT-VALUE}).")
    int maxConcurrency;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "30", description = "A service function's timeout (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--visibility", paramLabel = "<seconds>", defaultValue = Visibility.FUNCTION_SECONDS_TEXT, description = "How long a service's river hides a batch in hand, at least --timeout (default: ${DEFAULT-VALUE}).")
    int visibility;

    public DeployCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        StreamShards.require(shards);
        if (!List.of("java17", "java21").contains(runtime)) {
            throw new InvalidInput("--runtime must be java17 or java21");
        }
        if (services != null && !services.isEmpty()) {
            return deployServices();
        }
        if (serviceJar != null) {
            throw new InvalidInput("--jar names the jar of services to deploy: say which with --service <name>");
        }
        Long retentionDays = archiveRetention == null ? null : Retention.parse(archiveRetention,
                "--archive-retention").map(Duration::toDays).orElse(0L);
        AwsBackend aws = session.aws();
        Map<String, String> infrastructure = new LinkedHashMap<>(Map.of("RapidsShards", Integer.toString(shards)));
        Map<String, String> planes = new LinkedHashMap<>(Map.of("Runtime", runtime,
                "FanOutConsumer", Boolean.toString(enhancedFanOut)));
        try (Deployer deployer = new Deployer(aws, session.output()::plain)) {
            // the archive's retention is the stack's to keep: as it has it, unless asked
            String days = retentionDays != null ? Long.toString(retentionDays)
                    : deployer.infrastructureParameter("ArchiveRetentionDays").orElse("0");
            infrastructure.put("ArchiveRetentionDays", days);
            var outcomes = deployer.deploy(jar(controlJar, "control-plane/function"), jar(fanOutJar, "data-plane/function"), infrastructure,
                    planes);
            outcomes.forEach(outcome -> outcome.outputs().forEach((key, value) ->
                    session.output().plain("  " + outcome.stack() + " " + key + " = " + value)));
        }
        session.output().plain("use it: " + useIt(aws, ""));
        return 0;
    }

    /**
     * The command that uses the stage: on an emulator, which runs no Lambda, with --host-planes (nothing routes
     * without it) and the jars of the deployed services' code; on AWS without.
     */
    private static String useIt(AwsBackend aws, String serviceJars) {
        return "./rr --backend aws --stage " + aws.stage()
                + aws.settings().region().map(r -> " --region " + r).orElse("")
                + aws.settings().endpoint().map(e -> " --endpoint-url " + e).orElse("")
                + (aws.settings().emulated() ? " --emulator --host-planes" + serviceJars + " shell" : "");
    }

    private Integer deployServices() {
        if (serviceJar == null) {
            throw new InvalidInput("--service needs --jar <jar>: the jar that holds the service");
        }
        ServiceDeployer.Knobs knobs = new ServiceDeployer.Knobs(runtime, timeout, visibility, batchSize, maxConcurrency);
        AwsBackend aws = session.aws();
        try (Deployer deployer = new Deployer(aws, session.output()::plain)) {
            deployer.services().deploy(services, serviceJar, jar(null, "service-function"), knobs);
        }
        if (aws.settings().emulated()) {
            // an emulator runs no Java function: the host runs the deployed code, given the jar it came from
            session.output().plain("run it (an emulator has no Lambda): " + useIt(aws, " --service-jar "
                    + serviceJar.toAbsolutePath()));
        }
        return 0;
    }

    /** The jar given, else the one make package left in the module's target/ beside the launcher. */
    static Path jar(Path given, String module) {
        if (given != null) {
            return given;
        }
        String launcher = System.getenv("RR_LAUNCHER");
        Path root = launcher != null ? Path.of(launcher).toAbsolutePath().getParent() : Path.of(".");
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new InvalidInput("no " + module + " Lambda jar in " + target
                            + ": run make package (or make deploy, which does)"));
        } catch (IOException e) {
            throw new InvalidInput("no " + module + " Lambda jar in " + target + ": run make package (or make deploy, which does)");
        }
    }
}
