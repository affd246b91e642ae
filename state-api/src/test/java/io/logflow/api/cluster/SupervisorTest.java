package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    @Test
    void aFailedThreadThatIsNoStreamThread_closesTheClient_insteadOfBeingReplaced() {
        // the global thread is no StreamThread: Kafka Streams cannot replace it (ClassCastException)
        Thread global = new Thread(() -> {}, "logflow-GlobalStreamThread");
        assertThat(Supervisor.responseFor(global)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void restartBackoff_doublesFromOneSecond_upToOneMinute() {
        List<Long> seconds = new ArrayList<>();
        Duration d = Supervisor.FIRST_RESTART_DELAY;
        for (int i = 0; i < 9; i++) {
            seconds.add(d.toSeconds());
            d = Supervisor.nextDelay(d);
        }
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void describe_namesTheRootCause() {
        var e = new org.apache.kafka.streams.errors.StreamsException(
                "Updating global state failed.",
                new org.apache.kafka.clients.consumer.OffsetOutOfRangeException(
                        "out of range", Map.of(new org.apache.kafka.common.TopicPartition("t", 0), 1L)));
        assertThat(Supervisor.describe(e))
                .isEqualTo("StreamsException: Updating global state failed. (caused by OffsetOutOfRangeException: "
                        + "out of range)");
    }
}
