package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.Condition;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.monitor.Monitors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * Understands a stage's monitors from the shell: {@code monitor add <name> <rule>} keeps a sentence about
 * business outcomes ({@link MonitorRule}: --when, --where, --expect, --expect-where, --expect-none, --within,
 * --at-least, --over, --min-sample) for the monitor service to judge; {@code monitor remove <name>} drops one.
 * A condition's path that no recent event of its type carries is a warning, since payloads vary.
 */
@Command(name = "monitor", description = "Add or remove a monitor of the stage's business outcomes", abbreviateSynopsis = true,
        subcommands = {MonitorCommand.Add.class, MonitorCommand.Remove.class})
public final class MonitorCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How far back, and how many events of a type, the path warning looks at. */
    private static final Duration RECENT = Duration.ofHours(1);
    private static final int LOOKED_AT = 50;

    @Override
    public Integer call() {
        throw new InvalidInput("monitor needs what to do: monitor add <name> --when <type> --expect <type> --within 3s"
                + " --at-least 99% | monitor remove <name> (rr monitors lists them)");
    }

    /** Understands adding a monitor. */
    @Command(name = "add", description = "Add a monitor: monitor add bundles --when ViewPage --expect OfferBundle --within 3s"
            + " --at-least 99% --over 10m", abbreviateSynopsis = true)
    public static final class Add implements Callable<Integer> {
        private final Session session;

        @Parameters(index = "0", paramLabel = "<name>", description = "The monitor's name: lowercase letters, digits and -.")
        String name;

        @Unmatched
        List<String> words = new ArrayList<>();

        public Add(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            MonitorRule rule = MonitorRule.parse(name, words);
            warnAboutPaths(rule);
            boolean added = new Monitors(session.backendWithPlanes(), Clock.systemUTC(), TIMEOUT).add(rule);
            session.output().result((added ? "added monitor " : "monitor exists with this rule: ") + rule.name() + " " + rule.text()
                            + (added ? " (rr service monitor judges it; rr monitors shows how it stands)" : ""),
                    Json.object().put("monitor", rule.name()).put("rule", rule.text()).put("added", added));
            return 0;
        }

        /** A warning for each condition whose path none of its type's recent archived events carries. */
        private void warnAboutPaths(MonitorRule rule) {
            check(rule.when(), rule.whenWhere());
            if (rule.expect() != null) {
                check(rule.expect(), rule.expectWhere());
            }
        }

        private void check(Topic type, List<Condition> conditions) {
            if (conditions.isEmpty()) {
                return;
            }
            List<Event> recent = new ArrayList<>();
            Instant now = Instant.now();
            try (Archive.Cursor cursor = session.archive().open(ArchiveQuery.window(now.minus(RECENT), now.plusSeconds(1))
                    .ofTypes(List.of(type)), "")) {
                while (cursor.hasNext() && recent.size() < LOOKED_AT) {
                    Event.whole(cursor.next().data()).ifPresent(recent::add);
                }
            } catch (RuntimeException noArchive) {
                return;
            }
            for (Condition condition : conditions) {
                if (!recent.isEmpty() && recent.stream().noneMatch(event -> condition.carriedBy(event.payload()))) {
                    session.output().notice("warning: none of the last " + recent.size() + " " + type + " event(s) of the hour"
                            + " carries " + condition.pathText() + " (kept anyway: payloads vary)");
                }
            }
        }
    }

    /** Understands removing a monitor. */
    @Command(name = "remove", description = "Remove a monitor, and from the monitor's river what no other monitor needs",
            abbreviateSynopsis = true)
    public static final class Remove implements Callable<Integer> {
        private final Session session;

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        public Remove(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            new Monitors(session.backendWithPlanes(), Clock.systemUTC(), TIMEOUT).remove(name);
            session.output().result("removed monitor " + name, Json.object().put("monitor", name).put("removed", true));
            return 0;
        }
    }
}
