package io.logflow.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionsTest {
    @Test
    void encodesEveryPartitionInOrder() {
        assertThat(Positions.encode(new long[] {123, 0, 456})).isEqualTo("0:123,1:0,2:456");
    }

    @Test
    void decodesWhatItEncodes_inAnyPartitionOrder() {
        assertThat(Positions.decode("0:123,1:0,2:456", 3)).containsExactly(123, 0, 456);
        assertThat(Positions.decode("2:456, 0:123 ,1:0", 3)).containsExactly(123, 0, 456);
    }

    @Test
    void rejectsPositionsThatDoNotNameEachPartitionOnce() {
        assertThatThrownBy(() -> Positions.decode("0:1,1:2", 3)).hasMessageContaining("2 partitions");
        assertThatThrownBy(() -> Positions.decode("0:1,0:2,1:3", 3)).hasMessageContaining("named twice");
        assertThatThrownBy(() -> Positions.decode("0:1,1:2,3:3", 3)).hasMessageContaining("no partition 3");
        assertThatThrownBy(() -> Positions.decode("0:1,1:-2,2:3", 3)).hasMessageContaining("negative");
        assertThatThrownBy(() -> Positions.decode("0:1,1:x,2:3", 3)).hasMessageContaining("partition:offset");
        assertThatThrownBy(() -> Positions.decode("banana", 1)).hasMessageContaining("partition:offset");
        assertThatThrownBy(() -> Positions.decode("", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atOrAfter_comparesEveryPartition() {
        assertThat(Positions.atOrAfter(new long[] {5, 5}, new long[] {5, 4})).isTrue();
        assertThat(Positions.atOrAfter(new long[] {5, 3}, new long[] {5, 4})).isFalse();
    }
}
