package org.rapidsrivers.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands how a line typed at the prompt or read from a script splits into words, with the
 * quoting rules of a POSIX shell, so that a line means the same after {@code cmd> } as after
 * {@code ./rr }: single quotes keep everything as it is, double quotes let a backslash escape
 * only {@code " \ $ `}, an unquoted backslash escapes the next character, and an unquoted
 * {@code #} at the start of a word begins a comment.
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
                    throw new InvalidInput("unclosed ' quote: close it with another '");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < line.length()) {
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
            if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new InvalidInput("unclosed \" quote: close it with another \"");
    }
}
