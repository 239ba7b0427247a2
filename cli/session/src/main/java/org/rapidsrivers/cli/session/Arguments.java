package org.rapidsrivers.cli.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands the command line as the bytes that were typed: UTF-8 whatever the locale says. The
 * JVM decodes arguments with the locale's charset, which is ASCII where LANG is unset (containers,
 * cron), and turns every other byte into a replacement character; where the operating system
 * shows the raw arguments (Linux's /proc/self/cmdline) they are decoded again, strictly, and an
 * argument that is not UTF-8 is refused rather than silently changed.
 */
public final class Arguments {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private Arguments() {
    }

    public static String[] utf8(String[] decodedByJvm) {
        if (decodedByJvm.length == 0 || !Files.isReadable(CMDLINE)) {
            return decodedByJvm;
        }
        List<byte[]> raw;
        try {
            raw = split(Files.readAllBytes(CMDLINE));
        } catch (IOException unreadable) {
            return decodedByJvm;
        }
        int n = decodedByJvm.length;
        if (raw.size() < n) {
            return decodedByJvm;
        }
        List<byte[]> ours = raw.subList(raw.size() - n, raw.size());
        for (int i = 0; i < n; i++) {
            if (!asciiOf(ours.get(i)).equals(asciiOf(decodedByJvm[i]))) {
                // the process's command line does not end with our arguments (an @argfile, say): keep the JVM's
                return decodedByJvm;
            }
        }
        String[] arguments = new String[n];
        for (int i = 0; i < n; i++) {
            arguments[i] = strict(ours.get(i), i + 1);
        }
        return arguments;
    }

    private static String strict(byte[] bytes, int position) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInput("argument " + position + " is not valid UTF-8: rr reads its arguments as UTF-8"
                    + " text, whatever the locale");
        }
    }

    private static List<byte[]> split(byte[] all) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                parts.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            parts.add(Arrays.copyOfRange(all, start, all.length));
        }
        return parts;
    }

    /** The printable ASCII of an argument, which every locale's decoding keeps as it is. */
    private static String asciiOf(byte[] bytes) {
        StringBuilder ascii = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '?') {
                ascii.append((char) b);
            }
        }
        return ascii.toString();
    }

    private static String asciiOf(String text) {
        StringBuilder ascii = new StringBuilder();
        text.chars().filter(c -> c >= 0x20 && c < 0x7f && c != '?').forEach(c -> ascii.append((char) c));
        return ascii.toString();
    }
}
