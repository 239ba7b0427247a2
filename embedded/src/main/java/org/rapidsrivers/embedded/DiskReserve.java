package org.rapidsrivers.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Understands a little disk space kept back beside the database, so that on a full disk the rivers
 * can still be drained: reading a message means writing its receive and its delete, and those
 * need room. The reserve is given back when a drain finds the disk full, and kept again (when
 * there is room) the next time the database is opened.
 */
final class DiskReserve {
    static final int SIZE = 2 << 20;

    private final Path file;

    DiskReserve(Path file) {
        this.file = file;
    }

    /** Writes the reserve if it is missing and the disk has room to spare for it. */
    void keep() {
        try {
            if (Files.exists(file) || Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace() < 3L * SIZE) {
                return;
            }
            DataDirectory.privateFile(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                // real zeros, not a sparse file: the blocks must be taken now to be given back later
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                for (int written = 0; written < SIZE; written += zeros.capacity()) {
                    zeros.clear();
                    channel.write(zeros);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // no reserve then; a full disk will stop reads as well as writes
            }
        }
    }

    /** Gives the reserve back; false when there was none to give. */
    boolean release() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
