package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import io.logflow.topology.LogFlowTopology;
import io.logflow.topology.TopologyOptions;
import java.util.Map;
import java.util.Set;
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
}
