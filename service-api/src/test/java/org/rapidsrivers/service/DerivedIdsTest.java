package org.rapidsrivers.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.ports.Pond;

/**
 * A service's derived eventIds (issue 27, low): the same for every instance of the service (one key in its
 * pond) and for every attempt, and not to be worked out by anyone who knows the cause but not the key, as the
 * plain name-based id of before could (a producer could publish it first and have the genuine event skipped).
 */
class DerivedIdsTest {
    @Test
    void instancesSharingAPondDeriveTheSameIdsAndNobodyElseCan() {
        Pond pond = Pond.inMemory(Clock.systemUTC());
        DerivedIds one = new DerivedIds(() -> pond);
        DerivedIds another = new DerivedIds(() -> pond);
        DerivedIds stranger = new DerivedIds(() -> Pond.inMemory(Clock.systemUTC()));
        String cause = UUID.randomUUID().toString();

        String id = one.of("location", cause, "handle", 0);

        assertThat(another.of("location", cause, "handle", 0)).isEqualTo(id).isEqualTo(one.of("location", cause, "handle", 0));
        assertThat(one.of("location", cause, "handle", 1)).isNotEqualTo(id);
        assertThat(stranger.of("location", cause, "handle", 0)).isNotEqualTo(id);
        String guessable = UUID.nameUUIDFromBytes(("location/" + cause + "/handle/0").getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(id).isNotEqualTo(guessable);
        assertThat(pond.get(DerivedIds.KEY)).isPresent();
    }
}
