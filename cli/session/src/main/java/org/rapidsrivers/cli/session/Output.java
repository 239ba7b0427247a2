package org.rapidsrivers.cli.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Collection;
import org.rapidsrivers.core.json.Json;

/**
 * Understands how results reach the user: names as a compact JSON array, events as indented JSON,
 * confirmations as a sentence; with --json, every result as one compact JSON document per line.
 * Errors go to standard error, one line each.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    public Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    public void names(Collection<String> names) {
        ArrayNode array = Json.array();
        names.forEach(array::add);
        line(Json.compact(array));
    }

    /** Prints JSON text made for this output; false when it could not be written out and flushed. */
    public boolean documents(String jsonText) {
        line(jsonText);
        return !out.checkError();
    }

    /** A sentence for people, or the JSON document with the same facts. */
    public void result(String sentence, ObjectNode document) {
        line(json ? Json.compact(document) : sentence);
    }

    public void plain(String text) {
        line(text);
    }

    public void error(String message) {
        if (json) {
            err.println(Json.compact(Json.object().put("error", message)));
        } else {
            err.println("error: " + message);
        }
        err.flush();
    }

    public void notice(String message) {
        err.println(message);
        err.flush();
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    private void line(String text) {
        out.println(text);
        out.flush();
    }
}
