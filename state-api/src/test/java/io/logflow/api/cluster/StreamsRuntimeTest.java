package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import io.logflow.topology.LogFlowTopology;
import io.logflow.topology.TopologyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamsRuntimeTest {
    @Test
    void everyQueriedStore_isMappedToTheTopicsFeedingItsSubTopology() {
        Map<String, Set<String>> sources =
                StreamsRuntime.sourcesByStore(LogFlowTopology.build(TopologyOptions.defaults()), "app");
        for (String store : new String[] {
            Stores.SERVICES.name(),
            Stores.SERVICE_STATS.name(),
            Stores.SERVICE_ERRORS.name(),
            Stores.RECENT_LOGS.name(),
            Stores.RECENT_LOGS_CURSOR.name(),
            Stores.TRACE_LOGS.name(),
            Stores.TRACE_LOG_COUNTS.name()
        }) {
            assertThat(sources.get(store)).as(store).contains(Topics.LOGS_NORMALIZED.name());
        }
        // the trace logs live next to the other log stores (ADR 012): their partition p is logflow.logs' partition p
        assertThat(sources.get(Stores.TRACE_LOGS.name())).noneMatch(t -> t.endsWith("-repartition"));
        // the span alert stores sit behind a repartition topic, named <application.id>-<name> in partition metadata
        assertThat(sources.get(Stores.ALERT_SPAN_WINDOWS.name()))
                .doesNotContain(Topics.SPANS_NORMALIZED.name())
                .anyMatch(t -> t.startsWith("app-") && t.endsWith("-repartition"));
    }

    @Test
    void aFailedThreadThatIsNoStreamThread_closesTheClient_insteadOfBeingReplaced() {
        // the global thread is no StreamThread: Kafka Streams cannot replace it (ClassCastException)
        Thread global = new Thread(() -> {}, "logflow-GlobalStreamThread");
        assertThat(StreamsRuntime.responseFor(global)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void restartBackoff_doublesFromOneSecond_upToOneMinute() {
        List<Long> seconds = new ArrayList<>();
        Duration d = StreamsRuntime.FIRST_RESTART_DELAY;
        for (int i = 0; i < 9; i++) {
            seconds.add(d.toSeconds());
            d = StreamsRuntime.nextDelay(d);
        }
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void describe_namesTheRootCause() {
        var e = new org.apache.kafka.streams.errors.StreamsException(
                "Updating global state failed.",
                new org.apache.kafka.clients.consumer.OffsetOutOfRangeException(
                        "out of range", Map.of(new org.apache.kafka.common.TopicPartition("t", 0), 1L)));
        assertThat(StreamsRuntime.describe(e))
                .isEqualTo("StreamsException: Updating global state failed. (caused by OffsetOutOfRangeException: "
                        + "out of range)");
    }
}
