package org.rapidsrivers.cli.session;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Understands how picocli gets its commands and completion candidates: each one is handed the session it works in. */
public final class CommandFactory implements IFactory {
    private final Session session;

    public CommandFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> constructor : type.getConstructors()) {
            if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Session.class) {
                return type.cast(constructor.newInstance(session));
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
