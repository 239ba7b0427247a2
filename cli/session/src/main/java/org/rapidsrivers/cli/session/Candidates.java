package org.rapidsrivers.cli.session;

import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/** Understands what tab completion offers for an argument: the rivers and topics the system knows now. */
public final class Candidates {
    private Candidates() {
    }

    /** Understands the rivers of the stage, read when completion asks. */
    public static final class Rivers implements Iterable<String> {
        private final Session session;

        public Rivers(Session session) {
            this.session = session;
        }

        @Override
        public Iterator<String> iterator() {
            return quietly(() -> session.backend().rivers().names().stream().map(RiverName::value).toList()).iterator();
        }
    }

    /** Understands the topics of the stage: advertised ones and those some river is subscribed to. */
    public static final class Topics implements Iterable<String> {
        private final Session session;

        public Topics(Session session) {
            this.session = session;
        }

        @Override
        public Iterator<String> iterator() {
            return quietly(() -> {
                TreeSet<String> topics = new TreeSet<>();
                session.backend().catalog().topics().forEach(t -> topics.add(t.value()));
                for (RiverName river : session.backend().rivers().names()) {
                    session.backend().subscriptions().topicsOf(river).stream().map(Topic::value).forEach(topics::add);
                }
                return List.copyOf(topics);
            }).iterator();
        }
    }

    /** Understands the names of the shell's commands. */
    public static final class Commands implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("help", "exit", "send", "subscribe", "readfrom", "listsubs", "unsubscribe", "topics", "advertise")
                    .iterator();
        }
    }

    /** Completion must never break the prompt: if the system cannot be asked, there is simply nothing to offer. */
    private static List<String> quietly(Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (RuntimeException unavailable) {
            return List.of();
        }
    }
}
