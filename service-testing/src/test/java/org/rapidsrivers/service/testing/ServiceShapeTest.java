package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rapidsrivers.service.ServiceShape;
import org.rapidsrivers.service.monitor.MonitorService;

/** What a deployment learns of a service by starting it on nothing. */
class ServiceShapeTest {
    @Test
    void theMonitorServiceSetsATimerAsItStartsSoNoFunctionCanRunIt() {
        ServiceShape monitor = ServiceShape.of(new MonitorService(line -> { }));

        assertThat(monitor.timers()).isTrue();
        assertThat(monitor.consumes()).containsExactly("MonitorAdded", "MonitorRemoved");
        assertThat(monitor.publishes()).containsExactly("MonitorBreached", "MonitorRecovered");
    }

    @Test
    void aServiceThatOnlyHandlesSetsNoTimer() {
        assertThat(ServiceShape.of(new MonitorServiceTest.Answerer()).timers()).isFalse();
    }
}
