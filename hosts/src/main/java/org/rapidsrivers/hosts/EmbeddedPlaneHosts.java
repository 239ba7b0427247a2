package org.rapidsrivers.hosts;

import java.util.List;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.data.FanOut;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Understands the planes of an embedded stage hosted in a process: the planes' logic over the embedded log,
 * each batch in one transaction with its checkpoint (exactly once).
 */
public final class EmbeddedPlaneHosts implements PlaneHosts {
    @Override
    public String kind() {
        return StageOptions.EMBEDDED;
    }

    @Override
    public PlaneHost start(Backend backend, HostSettings settings, String holder) {
        EmbeddedBackend embedded = (EmbeddedBackend) backend;
        HostSettings chosen = settings != null ? settings : HostSettings.embedded();
        return PlaneHost.started(List.of(host(embedded, Plane.CONTROL, chosen, holder), host(embedded, Plane.FANOUT, chosen, holder)),
                List.of(), List.of());
    }

    /** The control plane over an embedded stage's control stream, unstarted: tests drive it one pass at a time. */
    public static StreamHost controlHost(EmbeddedBackend backend) {
        return host(backend, Plane.CONTROL, HostSettings.embedded(), PlaneHost.holder());
    }

    /** The fan-out over an embedded stage's rapids, unstarted. */
    public static StreamHost fanOutHost(EmbeddedBackend backend) {
        return host(backend, Plane.FANOUT, HostSettings.embedded(), PlaneHost.holder());
    }

    private static StreamHost host(EmbeddedBackend backend, Plane plane, HostSettings settings, String holder) {
        EmbeddedSource source = plane == Plane.CONTROL
                ? new EmbeddedSource(backend.streams(), backend.controlStreamName(), plane.consumer(),
                        new ControlPlane(backend.rivers(), backend.subscriptions(), backend.catalog(), backend.rapids(),
                                backend.clock(), backend.ledger()), backend.controlDeadLetters())
                : new EmbeddedSource(backend.streams(), backend.rapidsStream(), plane.consumer(),
                        new FanOut(backend.router(), backend.fanOutDeadLetters(), backend.traffic()), backend.fanOutDeadLetters());
        return new StreamHost(source, settings, holder, PlaneLog.of(backend.stage().value(), plane.consumer()));
    }
}
