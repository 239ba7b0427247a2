package org.rapidsrivers.cli.deploy;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.rapidsrivers.cli.session.CommandFailed;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Understands one CloudFormation stack's life through create and update stacks (not change sets,
 * which emulators get wrong): made if missing, replaced if a failed create left it in
 * ROLLBACK_COMPLETE, updated otherwise, where "no updates" is a quick no-op; waited for; and on
 * failure the failing resources' reasons, from the stack's events, in one line each.
 */
public final class Stacks {
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofMinutes(45);

    private final CloudFormationClient cloudFormation;
    private final Consumer<String> say;

    Stacks(CloudFormationClient cloudFormation, Consumer<String> say) {
        this.cloudFormation = cloudFormation;
        this.say = say;
    }

    /** What happened to a stack: created, updated or unchanged, and its outputs now. */
    public record Outcome(String stack, String change, Map<String, String> outputs) {
    }

    Outcome apply(String name, String template, Map<String, String> parameters) {
        Optional<Stack> existing = describe(name);
        if (existing.isPresent() && existing.get().stackStatus() == StackStatus.ROLLBACK_COMPLETE) {
            say.accept("stack " + name + " is in ROLLBACK_COMPLETE from a create that failed: deleting it first");
            delete(name);
            existing = Optional.empty();
        }
        List<Parameter> given = parameters.entrySet().stream()
                .map(p -> Parameter.builder().parameterKey(p.getKey()).parameterValue(p.getValue()).build()).toList();
        if (existing.isPresent() && unchanged(name, existing.get(), template, parameters)) {
            return new Outcome(name, "unchanged", outputs(existing.get()));
        }
        String since = existing.map(s -> latestEventId(name)).orElse(null);
        String change;
        if (existing.isEmpty()) {
            cloudFormation.createStack(b -> b.stackName(name).templateBody(template).parameters(given)
                    .capabilities(Capability.CAPABILITY_IAM));
            change = "created";
        } else {
            try {
                cloudFormation.updateStack(b -> b.stackName(name).templateBody(template).parameters(given)
                        .capabilities(Capability.CAPABILITY_IAM));
                change = "updated";
            } catch (CloudFormationException noUpdates) {
                if (String.valueOf(noUpdates.awsErrorDetails() == null ? noUpdates.getMessage()
                        : noUpdates.awsErrorDetails().errorMessage()).contains("No updates are to be performed")) {
                    return new Outcome(name, "unchanged", outputs(describe(name).orElseThrow()));
                }
                throw noUpdates;
            }
        }
        Stack done = await(name, since);
        return new Outcome(name, change, outputs(done));
    }

    /**
     * The same template and parameters as the stack has, and the stack at rest: nothing to do. Asked
     * before updating, so a second deploy is a quick no-op everywhere (emulators do not all answer
     * "no updates are to be performed").
     */
    private boolean unchanged(String name, Stack stack, String template, Map<String, String> parameters) {
        if (!stack.stackStatusAsString().endsWith("_COMPLETE") || stack.stackStatusAsString().contains("ROLLBACK")) {
            return false;
        }
        Map<String, String> deployed = new LinkedHashMap<>();
        stack.parameters().forEach(p -> deployed.put(p.parameterKey(), p.parameterValue()));
        boolean sameParameters = parameters.entrySet().stream()
                .allMatch(p -> p.getValue().equals(deployed.get(p.getKey())));
        return sameParameters && template.equals(cloudFormation.getTemplate(b -> b.stackName(name)).templateBody());
    }

    /** Deletes the stack and waits until it is gone; false when there was none. */
    boolean delete(String name) {
        if (describe(name).isEmpty()) {
            return false;
        }
        String since = latestEventId(name);
        cloudFormation.deleteStack(b -> b.stackName(name));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Stack> stack = describe(name);
            if (stack.isEmpty() || stack.get().stackStatus() == StackStatus.DELETE_COMPLETE) {
                return true;
            }
            if (stack.get().stackStatus() == StackStatus.DELETE_FAILED) {
                throw failed(name, stack.get(), since);
            }
            sleep();
        }
        throw new CommandFailed("stack " + name + " was not deleted within " + PATIENCE.toMinutes() + " minutes");
    }

    /** The names of the stacks that exist (not deleted) and start with the prefix, sorted. */
    List<String> namesStartingWith(String prefix) {
        return cloudFormation.listStacksPaginator(b -> { }).stackSummaries().stream()
                .filter(summary -> summary.stackStatus() != StackStatus.DELETE_COMPLETE)
                .map(summary -> summary.stackName())
                .filter(stackName -> stackName.startsWith(prefix))
                .distinct().sorted().toList();
    }

    Optional<Stack> describe(String name) {
        try {
            return cloudFormation.describeStacks(b -> b.stackName(name)).stacks().stream().findFirst();
        } catch (CloudFormationException missing) {
            if (String.valueOf(missing.getMessage()).contains("does not exist")) {
                return Optional.empty();
            }
            throw missing;
        }
    }

    private Stack await(String name, String since) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Stack stack = describe(name).orElseThrow(() -> new CommandFailed("stack " + name + " disappeared"));
            String status = stack.stackStatusAsString();
            if (status.endsWith("_IN_PROGRESS")) {
                sleep();
                continue;
            }
            if (status.equals("CREATE_COMPLETE") || status.equals("UPDATE_COMPLETE")) {
                return stack;
            }
            throw failed(name, stack, since);
        }
        throw new CommandFailed("stack " + name + " did not finish within " + PATIENCE.toMinutes() + " minutes");
    }

    /** The failing resources' reasons, newest last, from the events after {@code since}. */
    private CommandFailed failed(String name, Stack stack, String since) {
        List<StackEvent> events = cloudFormation.describeStackEvents(b -> b.stackName(name)).stackEvents();
        List<String> reasons = events.stream()
                .takeWhile(e -> since == null || !e.eventId().equals(since))
                .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("FAILED"))
                .sorted(Comparator.comparing(StackEvent::timestamp))
                .map(e -> e.logicalResourceId() + " (" + e.resourceType() + "): " + e.resourceStatusReason())
                .distinct()
                .toList();
        reasons.forEach(reason -> say.accept("  failed: " + reason));
        return new CommandFailed("stack " + name + " ended in " + stack.stackStatusAsString()
                + (reasons.isEmpty() ? "" : ": " + reasons.get(0))
                + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more above)" : ""));
    }

    private String latestEventId(String name) {
        return cloudFormation.describeStackEvents(b -> b.stackName(name)).stackEvents().stream()
                .findFirst().map(StackEvent::eventId).orElse(null);
    }

    private static Map<String, String> outputs(Stack stack) {
        return stack.outputs().stream().collect(Collectors.toMap(o -> o.outputKey(), o -> o.outputValue(),
                (a, b) -> a, LinkedHashMap::new));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailed("cancelled");
        }
    }
}
