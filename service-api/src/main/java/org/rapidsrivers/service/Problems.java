package org.rapidsrivers.service;

import java.util.ArrayList;
import java.util.List;

/** Understands everything found wrong with one event, collected rather than thrown, so all of it can be reported at once. */
public final class Problems {
    private final List<String> problems = new ArrayList<>();

    void add(String problem) {
        problems.add(problem);
    }

    public boolean any() {
        return !problems.isEmpty();
    }

    public List<String> all() {
        return List.copyOf(problems);
    }

    @Override
    public String toString() {
        return String.join("; ", problems);
    }
}
