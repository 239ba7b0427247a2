package org.rapidsrivers.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands how a line typed at the prompt or read from a script splits into words, with the
 * quoting rules of a POSIX shell, so that a line means the same after {@code cmd> } as after
 * {@code ./rr }: single quotes keep everything as it is, double quotes let a backslash escape
 * only {@code " \ $ `}, an unquoted backslash escapes the next character, and an unquoted
 * {@code #} at the start of a word begins a comment. A quote left open, or a backslash at the end,
 * continues the command on the next line, in a script as at the prompt.
 */
public final class ShellWords {
    private ShellWords() {
    }

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new Incomplete("unclosed ' quote: close it with another '");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new Incomplete("the line ends with \\, which continues it on the next line, and none came");
                }
                if (line.charAt(i + 1) != '\n') {
                    // backslash-newline joins two lines, as in a POSIX shell; any other escaped character is kept
                    word.append(line.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int doubleQuoted(String line, int from, StringBuilder word) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '\n') {
                i += 2;
            } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new Incomplete("unclosed \" quote: close it with another \"");
    }

    /** True when the text is a whole command: no quote left open and no trailing backslash. */
    public static boolean isComplete(String text) {
        try {
            split(text);
            return true;
        } catch (Incomplete notYet) {
            return false;
        }
    }

    /** Understands a line that goes on: an open quote or a trailing backslash waits for the next line. */
    public static final class Incomplete extends InvalidInput {
        Incomplete(String message) {
            super(message);
        }
    }
}
