package org.rapidsrivers.cli.operate;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.Printable;

/**
 * Understands a plain-text table: a header and rows, each column as wide as its widest cell. Every cell
 * is shown printably: names come from events anyone may send, and must not act on the operator's terminal.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        String[] shown = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            shown[i] = Printable.whole(cells[i]);
        }
        rows.add(shown);
    }

    String render() {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
