package org.rapidsrivers.hosts.aws;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Visibility;
import org.rapidsrivers.function.ServiceFunction;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceCatalog;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Understands the services deployed on an emulated stage (which cannot run Java functions, so their
 * mappings were made disabled): each is run here the way Lambda's SQS event source mapping runs it, with
 * the same handler class the function runs. A poller receives up to the mapping's batch size with the
 * river's visibility timeout, hands the batch to its own instance of the handler (an execution
 * environment of its own, as Lambda gives each concurrent invocation), deletes what was not reported
 * failed and leaves the failures to come back; a full batch adds a poller, up to the mapping's maximum
 * concurrency. A service whose code is in none of the jars given (--service-jar) nor on this host's class path
 * is said, and not run.
 */
final class DeployedServices implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final List<Mapping> mappings;

    private DeployedServices(List<Mapping> mappings) {
        this.mappings = mappings;
    }

    /**
     * Finds the stage's deployed service mappings and starts running them, each with its code from the jars given
     * (as Lambda runs the code it was deployed with), else from this host's class path; none on AWS itself, where
     * Lambda runs them.
     */
    static DeployedServices start(AwsBackend aws, List<Path> jars, Consumer<String> log) {
        if (!aws.settings().emulated()) {
            return new DeployedServices(List.of());
        }
        List<ServiceCatalog> catalogs = new ArrayList<>();
        jars.forEach(jar -> catalogs.add(ServiceCatalog.inJar(jar)));
        catalogs.add(ServiceCatalog.onClassPath());
        StageResources stage = new StageResources(aws.stage());
        List<Mapping> found = new ArrayList<>();
        try (LambdaClient lambda = aws.clients().configured(LambdaClient.builder(), "lambda").build()) {
            for (FunctionConfiguration function : lambda.listFunctionsPaginator(b -> { }).functions()) {
                if (!function.functionName().startsWith(stage.serviceFunctionPrefix())
                        || !StageResources.serviceHandler().equals(function.handler())) {
                    continue;
                }
                String name = function.environment() == null ? null : function.environment().variables().get("RR_SERVICE");
                Optional<ServiceCatalog> code = catalogs.stream().filter(c -> c.names().contains(String.valueOf(name))).findFirst();
                if (code.isEmpty()) {
                    log.accept("deployed service " + name + " is not run here: its code is in none of the jars given nor on"
                            + " this host's class path; give the jar it was deployed from: --service-jar <jar> (or RR_SERVICE_JARS)");
                    continue;
                }
                Service probe = code.get().create(name);
                for (EventSourceMappingConfiguration mapping : lambda.listEventSourceMappings(b -> b
                        .functionName(function.functionName())).eventSourceMappings()) {
                    if (mapping.eventSourceArn() == null || !mapping.eventSourceArn().contains(":sqs:")) {
                        continue;
                    }
                    if (!"Disabled".equalsIgnoreCase(mapping.state())) {
                        log.accept("deployed service " + name + ": its mapping is " + mapping.state() + " on the emulator,"
                                + " which then receives from the river itself; deploy again (it is made disabled there)");
                        continue;
                    }
                    RiverName river = RiverName.of(probe.name());
                    int maximum = mapping.scalingConfig() != null && mapping.scalingConfig().maximumConcurrency() != null
                            ? mapping.scalingConfig().maximumConcurrency() : 2;
                    try {
                        found.add(new Mapping(aws, name, code.get(), river, mapping.batchSize() == null ? 10 : mapping.batchSize(),
                                maximum, visibility(aws, river), log));
                    } catch (SdkException noRiver) {
                        // a function whose river went (a half-removed stack): the others still run
                        log.accept("deployed service " + name + " is not run here: its river " + aws.stage().riverQueue(river)
                                + " cannot be read (" + noRiver.getMessage() + ")");
                    }
                }
            }
        } catch (SdkServiceException unsupported) {
            // an endpoint without Lambda: nothing deployed to run
            return new DeployedServices(List.of());
        }
        found.forEach(Mapping::addPoller);
        return new DeployedServices(found);
    }

    private static Duration visibility(AwsBackend aws, RiverName river) {
        String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(aws.stage().riverQueue(river))).queueUrl();
        Map<QueueAttributeName, String> attributes = aws.clients().sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes();
        String seconds = attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT);
        return seconds == null ? Visibility.FUNCTION : Duration.ofSeconds(Long.parseLong(seconds));
    }

    @Override
    public void close() {
        mappings.forEach(Mapping::close);
    }

    /** Understands one deployed mapping run here: its pollers, each with its own handler instance. */
    private static final class Mapping {
        private final AwsBackend aws;
        private final String service;
        private final ServiceCatalog code;
        private final RiverName river;
        private final int batchSize;
        private final int maximumConcurrency;
        private final Duration visibility;
        private final Consumer<String> log;
        private final List<Thread> pollers = new CopyOnWriteArrayList<>();
        private volatile boolean stopping;

        Mapping(AwsBackend aws, String service, ServiceCatalog code, RiverName river, int batchSize, int maximumConcurrency,
                Duration visibility, Consumer<String> log) {
            this.aws = aws;
            this.service = service;
            this.code = code;
            this.river = river;
            this.batchSize = Math.min(10, batchSize);
            this.maximumConcurrency = maximumConcurrency;
            this.visibility = visibility;
            this.log = log;
        }

        synchronized void addPoller() {
            if (stopping || pollers.size() >= maximumConcurrency) {
                return;
            }
            Thread poller = new Thread(this::poll, "rr-service-" + service + "-" + pollers.size());
            poller.setDaemon(true);
            pollers.add(poller);
            poller.start();
        }

        private void poll() {
            ServiceFunction function = null;
            while (!stopping) {
                try {
                    if (function == null) {
                        // an execution environment's cold start: the service is started (ServiceStarted) once
                        function = new ServiceFunction(aws, code.create(service), this::say);
                    }
                    List<Delivery> batch = aws.rivers().receive(river, batchSize, WAIT, visibility);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    if (batch.size() == batchSize) {
                        addPoller();
                    }
                    invoke(function, batch);
                } catch (RuntimeException failed) {
                    // the invocation failed as a whole (or the stage is out of reach): the batch comes back
                    log.accept("deployed service " + service + ": " + failed.getMessage());
                    sleep();
                }
            }
        }

        private void invoke(ServiceFunction function, List<Delivery> batch) {
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (Delivery delivery : batch) {
                SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                message.setMessageId(delivery.receipt());
                message.setReceiptHandle(delivery.receipt());
                message.setBody(delivery.body());
                message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(delivery.receiveCount())));
                // the attributes Lambda would hand over: a replay's generation, a reminder's mark
                Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
                if (delivery.replay() > 0) {
                    attributes.put(Delivery.REPLAY_ATTRIBUTE, attribute("Number", Long.toString(delivery.replay())));
                }
                if (delivery.reminder()) {
                    attributes.put(Delivery.REMINDER_ATTRIBUTE, attribute("String", river.value()));
                }
                message.setMessageAttributes(attributes);
                message.setEventSource("aws:sqs");
                message.setEventSourceArn(aws.stage().riverQueue(river));
                messages.add(message);
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(messages);
            SQSBatchResponse response = function.handleRequest(event, new HostContext(
                    new StageResources(aws.stage()).serviceFunction(service), visibility.toMillis()));
            Set<String> failed = new HashSet<>();
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
            aws.rivers().delete(river, batch.stream().filter(d -> !failed.contains(d.receipt())).toList());
        }

        private static SQSEvent.MessageAttribute attribute(String type, String value) {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(type);
            attribute.setStringValue(value);
            return attribute;
        }

        /** What the function writes: its warnings are said here; its info and metrics lines go to its log group on AWS. */
        private void say(String line) {
            if (line.contains("\"level\":\"WARN\"")) {
                log.accept(line);
            }
        }

        private void sleep() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }

        void close() {
            stopping = true;
            for (Thread poller : pollers) {
                try {
                    poller.join(WAIT.toMillis() * 3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
