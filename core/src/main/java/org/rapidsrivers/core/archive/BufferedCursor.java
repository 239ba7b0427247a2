package org.rapidsrivers.core.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.rapidsrivers.core.archive.Archive;

/**
 * Understands reading an archive a piece at a time (a page of records, an S3 object): the events of the
 * piece read last are handed out in order, and the next piece is read only when they are used up.
 */
public abstract class BufferedCursor implements Archive.Cursor {
    private final Deque<ArchivedEvent> ahead = new ArrayDeque<>();

    /** Reads the next piece, giving each wanted event of it to {@code wanted}; false when nothing is left to read. */
    protected abstract boolean readMore(Consumer<ArchivedEvent> wanted);

    @Override
    public final boolean hasNext() {
        while (ahead.isEmpty() && readMore(ahead::add)) {
            // a piece may hold nothing wanted: read on
        }
        return !ahead.isEmpty();
    }

    @Override
    public final ArchivedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ahead.removeFirst();
    }

    @Override
    public void close() {
        ahead.clear();
    }
}
