package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterTest {
    record TestPart(Set<Integer> partitions) implements Part {}

    static TestPart part(Integer... partitions) {
        return new TestPart(Set.of(partitions));
    }

    @Test
    void requireComplete_acceptsPartsCoveringEveryPartitionOnce() {
        Cluster.requireComplete(Set.of(0, 1, 2), List.of(part(0, 2), part(1)), null);
    }

    @Test
    void requireComplete_is503_whenAPartitionIsMissingOrAnsweredTwice() {
        assertThatThrownBy(() -> Cluster.requireComplete(Set.of(0, 1), List.of(part(0)), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(503))
                .hasMessageContaining("[1]");
        assertThatThrownBy(() -> Cluster.requireComplete(Set.of(0, 1), List.of(part(0, 1), part(1)), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(503))
                .hasMessageContaining("two instances");
    }
}
