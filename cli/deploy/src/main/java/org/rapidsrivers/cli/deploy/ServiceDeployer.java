package org.rapidsrivers.cli.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.ServiceCatalog;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceShape;

/**
 * Understands how services go onto a deployed stage as functions, one stack each (cfn/service.yaml): what
 * a service consumes and publishes is learned by starting it on nothing, fixed in its stack (the filter
 * policy; a deployed service never writes the control stream), and what it publishes advertised in the
 * catalog by the deployer; the code (the service function's runtime and the service's jar) uploaded
 * under its content hash. Where an emulator skips the stack's subscription, the deployer makes it, and
 * removes it again before the stack goes. One service's failed stack stops the run and leaves every
 * other stack as it was.
 */
public final class ServiceDeployer {
    private final AwsBackend aws;
    private final StageResources stage;
    private final Stacks stacks;
    private final Deployer deployer;
    private final Consumer<String> say;

    ServiceDeployer(AwsBackend aws, Stacks stacks, Deployer deployer, Consumer<String> say) {
        this.aws = aws;
        this.stage = new StageResources(aws.stage());
        this.stacks = stacks;
        this.deployer = deployer;
        this.say = say;
    }

    /** Understands the knobs of a service's function and mapping (the template's parameters). */
    public record Knobs(String runtime, int timeoutSeconds, int visibilitySeconds, int batchSize, int maximumConcurrency) {
        public Knobs {
            if (batchSize < 1 || batchSize > 10) {
                throw new InvalidInput("--batch-size must be between 1 and 10 (an SQS receive's most)");
            }
            if (maximumConcurrency < 2 || maximumConcurrency > 1000) {
                throw new InvalidInput("--max-concurrency must be between 2 and 1000 (an SQS mapping's limits)");
            }
            if (timeoutSeconds < 5 || timeoutSeconds > 900) {
                throw new InvalidInput("--timeout must be between 5 and 900 seconds");
            }
            if (visibilitySeconds < timeoutSeconds) {
                throw new InvalidInput("--visibility (" + visibilitySeconds + " s) must be at least --timeout (" + timeoutSeconds
                        + " s): AWS refuses a mapping whose queue hides a batch for less time than the function may take");
            }
        }
    }

    /** Deploys each named service of the jar; the stacks' outcomes, in the order given. */
    public List<Stacks.Outcome> deploy(List<String> names, Path serviceJar, Path runtime, Knobs knobs) {
        for (String name : names) {
            if (!StageResources.deployable(name)) {
                throw new InvalidInput("cannot deploy service '" + Printable.of(name) + "': a deployed service's name is 1-40"
                        + " letters, digits or hyphens (it names its stack and function)");
            }
        }
        ServiceCatalog catalog = ServiceCatalog.inJar(serviceJar);
        List<ServiceShape> shapes = new ArrayList<>();
        for (String name : names) {
            ServiceShape shape = ServiceShape.of(catalog.create(name));
            if (shape.consumes().isEmpty()) {
                throw new InvalidInput("service " + name + " consumes nothing: a function runs only when its river has"
                        + " messages, so it would never run (run it as a process: rr service)");
            }
            if (shape.timers()) {
                throw new InvalidInput("service " + name + " sets a timer as it starts (RapidsConnection.at), which a function"
                        + " cannot run: it runs only while messages arrive. Run it as a process (rr service " + name + ")"
                        + (name.equals("monitor") ? ", beside the deployed services" : ", or set reminders (remind) instead"));
            }
            shapes.add(shape);
        }
        String bucket = deployer.infrastructureOutputs().get("ArtifactsBucket");
        if (bucket == null || stacks.describe(stage.planesStack()).isEmpty()) {
            throw new CommandFailed("stage " + aws.stage() + " is not deployed: deploy it first (make deploy STAGE="
                    + aws.stage() + "), then its services");
        }
        for (ServiceShape shape : shapes) {
            RiverName river = RiverName.of(shape.name());
            if (stacks.describe(stage.serviceStack(shape.name())).isEmpty() && aws.rivers().exists(river)) {
                throw new CommandFailed("service " + shape.name() + " cannot be deployed: its river " + aws.stage().riverQueue(river)
                        + " exists already, made by the control plane (the service ran as a process); a deployed service's river"
                        + " is its stack's: unsubscribe it from its topics and delete that queue (what waits in it with it), then"
                        + " deploy again");
            }
        }
        shapes.forEach(ServiceDeployer::policyOf);
        Deployer.Artifact code = upload(bucket, serviceJar, runtime);
        List<Stacks.Outcome> outcomes = new ArrayList<>();
        for (ServiceShape shape : shapes) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("Stage", aws.stage().value());
            parameters.put("Service", shape.name());
            parameters.put("CodeKey", code.key());
            parameters.put("CodeVersion", code.version());
            parameters.put("Consumes", String.join(",", shape.consumes()));
            RiverPolicy policy = policyOf(shape);
            parameters.put("BodyFilterPolicy", policy.filtered() ? policy.bodyPolicyText() : "");
            parameters.put("Runtime", knobs.runtime());
            parameters.put("Timeout", Integer.toString(knobs.timeoutSeconds()));
            parameters.put("VisibilityTimeout", Integer.toString(knobs.visibilitySeconds()));
            parameters.put("BatchSize", Integer.toString(knobs.batchSize()));
            parameters.put("MaximumConcurrency", Integer.toString(knobs.maximumConcurrency()));
            parameters.put("ReservedConcurrency", Integer.toString(knobs.maximumConcurrency()));
            parameters.put("Emulated", Boolean.toString(aws.settings().emulated()));
            Stacks.Outcome outcome = stacks.apply(stage.serviceStack(shape.name()), Deployer.template("service.yaml"), parameters);
            if (aws.settings().emulated()) {
                // emulators' CloudFormation skips AWS::SNS::Subscription: made here, as the stack would have
                RiverName river = RiverName.of(shape.name());
                policy.topics().forEach((type, filter) -> aws.subscriptions().subscribe(river, type, filter));
            }
            shape.publishes().forEach(type -> aws.catalog().advertise(Topic.of(type)));
            aws.catalog().advertise(Topic.of(ServiceRunner.STARTED));
            say.accept("stack " + outcome.stack() + ": " + outcome.change() + " (service " + shape.name() + " consumes "
                    + shape.consumes() + ", publishes " + shape.publishes() + ")");
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** Removes one service's stack (its river with what waits there, its function, its role); false when there was none. */
    public boolean remove(String name) {
        if (aws.settings().emulated() && RiverName.isValid(name)) {
            RiverName river = RiverName.of(name);
            if (aws.rivers().exists(river)) {
                aws.subscriptions().topicsOf(river).forEach(topic -> aws.subscriptions().unsubscribe(river, topic));
            }
        }
        boolean deleted = stacks.delete(stage.serviceStack(name));
        say.accept("stack " + stage.serviceStack(name) + ": " + (deleted ? "deleted" : "not there"));
        return deleted;
    }

    /** Removes every service stack of the stage: what comes off first when the stage does. */
    public void removeAll() {
        String prefix = stage.serviceStackPrefix();
        for (String stack : stacks.namesStartingWith(prefix)) {
            remove(stack.substring(prefix.length()));
        }
    }

    /** The names of the services deployed on the stage, from their stacks. */
    public List<String> deployed() {
        String prefix = stage.serviceStackPrefix();
        return stacks.namesStartingWith(prefix).stream().map(s -> s.substring(prefix.length())).toList();
    }

    private Deployer.Artifact upload(String bucket, Path serviceJar, Path runtime) {
        try {
            Path zip = Files.createTempFile("rr-service-", ".zip");
            try {
                List<String> jars = FunctionPackage.write(runtime, serviceJar, zip);
                say.accept("service code: " + String.join(", ", jars));
                return deployer.upload(bucket, "service", zip, ".zip");
            } finally {
                Files.deleteIfExists(zip);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the service's river wants, as the runner subscribes it: each type it consumes, by content where its rules
     * say ({@link ServiceShape#filters}), checked against SNS's limits before any stack is made.
     */
    static RiverPolicy policyOf(ServiceShape shape) {
        Map<Topic, ContentFilter> topics = new TreeMap<>();
        shape.consumes().forEach(type -> topics.put(Topic.of(type), shape.filters().getOrDefault(type, ContentFilter.WHOLE)));
        RiverPolicy policy = new RiverPolicy(topics);
        policy.requireWithinLimits(RiverName.of(shape.name()));
        return policy;
    }
}
