package org.rapidsrivers.core.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.Outcomes;

/**
 * Understands asking the control plane for something and learning what became of it: the commands go on
 * the control stream, each outcome is awaited from the control plane's ledger (never from the rapids), and
 * each command comes back with its answer: applied, rejected with the reason, or none within the time given.
 * The one place the shell and a starting service talk to the control plane.
 */
public final class ControlClient {
    private final ControlStream stream;
    private final Outcomes outcomes;

    public ControlClient(ControlStream stream, Outcomes outcomes) {
        this.stream = stream;
        this.outcomes = outcomes;
    }

    public static ControlClient of(Backend backend) {
        return new ControlClient(backend.controlStream(), backend.outcomes());
    }

    /** Sends them all, then awaits each in turn, each within {@code timeout}; the answers in the commands' order. */
    public List<Answer> send(List<ControlCommand> commands, Duration timeout) {
        List<Answer> answers = new ArrayList<>(commands.size());
        try (Outcomes.Watch watch = outcomes.watch()) {
            commands.forEach(stream::send);
            for (ControlCommand command : commands) {
                answers.add(new Answer(command, watch.await(command.commandId(), timeout), timeout));
            }
        }
        return answers;
    }

    public Answer send(ControlCommand command, Duration timeout) {
        return send(List.of(command), timeout).get(0);
    }

    /** Sends it and does not wait: it is applied whenever a control plane runs. */
    public void sendOnly(ControlCommand command) {
        stream.send(command);
    }

    /** Understands what became of one command: its outcome, or none within the time it was given. */
    public record Answer(ControlCommand command, Optional<CommandOutcome> outcome, Duration waited) {
        public boolean applied() {
            return outcome.map(CommandOutcome::applied).orElse(false);
        }

        public boolean unanswered() {
            return outcome.isEmpty();
        }

        /** Why it was not applied, in words: "subscribe r1 T was rejected: ..." or that no answer came. */
        public String problem() {
            return outcome.map(o -> command.describe() + " was rejected: " + o.reason())
                    .orElseGet(() -> "no answer from the control plane to " + command.describe() + " within "
                            + waited.toSeconds() + " s");
        }
    }
}
