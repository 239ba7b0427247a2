package org.rapidsrivers.cli.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.ArchiveSummary;
import org.rapidsrivers.core.archive.Retention;
import org.rapidsrivers.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Understands what an operator asks of the archive: what it holds, per type if asked, and how long it keeps it. */
@Command(name = "archive", description = "What the archive keeps: events, bytes, oldest, newest", abbreviateSynopsis = true)
public final class ArchiveCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--by-type", description = "Also how many events of each type.")
    boolean byType;

    @Option(names = "--retention", paramLabel = "<days|keep>",
            description = "Keep events this many days from their arrival (e.g. 30d), or keep for ever (keep, the default).")
    String retention;

    public ArchiveCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (retention != null) {
            Optional<Duration> keep = Retention.parse(retention, "--retention");
            session.archive().retain(keep);
            session.output().result(keep.map(d -> "the archive keeps events " + d.toDays() + " days").orElse("the archive keeps events for ever"),
                    Json.object().put("retentionDays", keep.map(Duration::toDays).orElse(0L)));
            return 0;
        }
        ArchiveSummary summary = session.archive().summary(true);
        session.output().result(text(summary, byType), json(summary, byType));
        return 0;
    }

    /** The summary in lines; status and the page use the first. */
    public static String text(ArchiveSummary summary, boolean byType) {
        StringBuilder text = new StringBuilder(headline(summary));
        text.append("\nwhere: ").append(summary.where());
        text.append("\nretention: ").append(summary.retention().orElse("keep (for ever)"));
        if (byType) {
            summary.byType().forEach((type, count) -> text.append("\n  ").append(Printable.of(type)).append(": ").append(count));
        }
        return text.toString();
    }

    /** One line: events, bytes, oldest and newest. */
    public static String headline(ArchiveSummary summary) {
        return "archive: " + summary.events() + " event(s)" + (summary.bytes() >= 0 ? ", " + summary.bytes() + " bytes" : "")
                + summary.oldest().map(t -> ", oldest " + Timestamps.format(t)).orElse("")
                + summary.newest().map(t -> ", newest " + Timestamps.format(t)).orElse("");
    }

    public static ObjectNode json(ArchiveSummary summary, boolean byType) {
        ObjectNode document = Json.object();
        document.put("events", summary.events());
        document.put("eventsCounted", summary.counted());
        if (summary.bytes() >= 0) {
            document.put("bytes", summary.bytes());
        }
        summary.oldest().ifPresent(t -> document.put("oldest", Timestamps.format(t)));
        summary.newest().ifPresent(t -> document.put("newest", Timestamps.format(t)));
        document.put("where", summary.where());
        document.put("retention", summary.retention().orElse("keep"));
        if (byType) {
            ObjectNode types = document.putObject("byType");
            summary.byType().forEach(types::put);
        }
        return document;
    }
}
