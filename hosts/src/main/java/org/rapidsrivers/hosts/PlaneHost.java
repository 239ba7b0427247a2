package org.rapidsrivers.hosts;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands a stage's two planes running inside this process, which any process may do: one
 * {@link StreamHost} per plane, over the embedded log or over Kinesis (the kinds' {@link PlaneHosts}, found by
 * ServiceLoader), and whatever else the kind runs beside them (an emulator's archive stand-in, deployed
 * services' mappings). Each plane works only while this process holds its stream's lease, so several
 * processes may host at once and one of them does the work. A process that starts hosting catches up once
 * before it returns, so a command that follows sees what earlier processes sent.
 */
public final class PlaneHost implements AutoCloseable {
    private final List<StreamHost> hosts;
    /** Closed before the hosts (what feeds on what they route: deployed services) and after them (their own clients). */
    private final List<AutoCloseable> before;
    private final List<AutoCloseable> after;

    private PlaneHost(List<StreamHost> hosts, List<AutoCloseable> before, List<AutoCloseable> after) {
        this.hosts = new ArrayList<>(hosts);
        this.before = new ArrayList<>(before);
        this.after = new ArrayList<>(after);
    }

    public static PlaneHost start(Backend backend) {
        return start(backend, null);
    }

    /** With these host settings (null: the defaults of the backend's kind). */
    public static PlaneHost start(Backend backend, HostSettings settings) {
        return ServiceLoader.load(PlaneHosts.class, PlaneHost.class.getClassLoader()).stream().map(ServiceLoader.Provider::get)
                .filter(hosts -> hosts.kind().equals(backend.kind())).findFirst()
                .orElseThrow(() -> new BackendUnavailable("cannot host the planes of a " + backend.kind() + " backend here: add"
                        + " the artifact org.rapidsrivers:hosts-" + backend.kind() + " (at run time)"))
                .start(backend, settings, holder());
    }

    /**
     * The hosts given, caught up once and then started; {@code before} and {@code after} closed before and after
     * them. What a kind's {@link PlaneHosts} returns.
     */
    public static PlaneHost started(List<StreamHost> hosts, List<AutoCloseable> before, List<AutoCloseable> after) {
        hosts.forEach(StreamHost::pollOnce);
        hosts.forEach(StreamHost::start);
        return new PlaneHost(hosts, before, after);
    }

    /** Adds a host that starts now and is not waited for (it catches up as it goes). */
    public synchronized void alsoRunning(StreamHost host) {
        host.start();
        hosts.add(host);
    }

    /** Adds what runs beside the planes and is stopped before them (what feeds on what they route). */
    public synchronized void closingFirst(AutoCloseable beside) {
        before.add(beside);
    }

    /** Who holds the leases this process takes: its pid and a random part. */
    public static String holder() {
        return ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    }

    /** Drains what is waiting and lets the leases go, so the next process takes over at once. */
    @Override
    public synchronized void close() {
        RuntimeException first = closeAll(before, null, "stopping what runs beside the planes");
        for (StreamHost host : hosts) {
            try {
                host.close();
            } catch (RuntimeException e) {
                first = first != null ? first : new IllegalStateException("closing a plane host: " + e.getMessage(), e);
            }
        }
        hosts.clear();
        first = closeAll(after, first, "closing the hosts' own clients");
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException closeAll(List<AutoCloseable> all, RuntimeException first, String what) {
        for (AutoCloseable each : all) {
            try {
                each.close();
            } catch (Exception e) {
                first = first != null ? first : new IllegalStateException(what + ": " + e.getMessage(), e);
            }
        }
        all.clear();
        return first;
    }
}
