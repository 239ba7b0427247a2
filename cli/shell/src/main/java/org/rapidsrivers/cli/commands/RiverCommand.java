package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.RiverStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Understands a river's lifecycle from the shell: {@code river delete} removes one the control plane made (its
 * subscription, queue and dead-letter queue, through the control plane, which refuses a stack's river), once
 * it holds nothing; {@code river purge} empties one of its messages for good (its dead letters stay).
 */
@Command(name = "river", description = "Delete or purge a river", abbreviateSynopsis = true,
        subcommands = {RiverCommand.Delete.class, RiverCommand.Purge.class})
public final class RiverCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new InvalidInput("river needs what to do: river delete <river> | river purge <river>");
    }

    /** Understands removing a river that holds nothing. */
    @Command(name = "delete", description = "Remove a river: its subscription, its queue and its dead-letter queue",
            abbreviateSynopsis = true)
    public static final class Delete implements Callable<Integer> {
        private final Session session;

        @Parameters(index = "0", paramLabel = "<river>", completionCandidates = Candidates.Rivers.class)
        String river;

        @Mixin
        WaitOptions wait;

        public Delete(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            RiverName name = RiverName.of(river);
            RiverStatus status = session.backend().operations().river(name);
            long held = status.visible() + status.inFlight();
            if (held > 0 || status.deadLettered() > 0) {
                throw new InvalidInput("river '" + name + "' holds " + held + " message(s) and " + status.deadLettered()
                        + " dead letter(s), which deleting it would lose: river purge " + name + " empties it, deadletters"
                        + " discard --all --river " + name + " removes its dead letters (recording them first); then delete it");
            }
            ControlCommand command = ControlCommand.delete(name, Clock.systemUTC());
            return new ControlRequest(session).send(command, "deleted river " + name + ": its subscription, its queue and its"
                    + " dead-letter queue", wait.waits(), wait.timeout());
        }
    }

    /** Understands emptying a river. */
    @Command(name = "purge", description = "Remove every message a river holds, for good (its dead letters stay)",
            abbreviateSynopsis = true)
    public static final class Purge implements Callable<Integer> {
        private final Session session;

        @Parameters(index = "0", paramLabel = "<river>", completionCandidates = Candidates.Rivers.class)
        String river;

        public Purge(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            RiverName name = RiverName.of(river);
            long removed = session.backend().rivers().purge(name);
            session.output().result("purged river " + name + ": " + removed + " message(s) removed for good (its dead letters"
                    + " stay: deadletters --river " + name + ")", Json.object().put("river", name.value()).put("purged", removed));
            return 0;
        }
    }
}
