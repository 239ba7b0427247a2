package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import picocli.CommandLine.Parameters;

/** Understands the two arguments subscribe and unsubscribe share: a river and a topic, checked as names. */
public final class RiverAndTopic {
    @Parameters(index = "0", paramLabel = "<river>", description = "River (queue) name.", completionCandidates = Candidates.Rivers.class)
    String river;

    @Parameters(index = "1", paramLabel = "<topic>", description = "Topic (event type).", completionCandidates = Candidates.Topics.class)
    String topic;

    RiverName river() {
        return RiverName.of(river);
    }

    Topic topic() {
        return Topic.of(topic);
    }
}
