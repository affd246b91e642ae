package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Stores;
import io.logflow.model.Topics;
import io.logflow.topology.LogFlowTopology;
import io.logflow.topology.TopologyOptions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamsRuntimeTest {
  @Test
  void everyQueriedStore_isMappedToTheTopicsFeedingItsSubTopology() {
    Map<String, Set<String>> sources = StreamsRuntime.sourcesByStore(LogFlowTopology.build(TopologyOptions.defaults()), "app");
    for (String store : new String[] {Stores.SERVICES, Stores.SERVICE_STATS, Stores.SERVICE_ERRORS, Stores.RECENT_LOGS, Stores.RECENT_LOGS_CURSOR}) {
      assertThat(sources.get(store)).as(store).contains(Topics.LOGS_NORMALIZED.name());
    }
    // the trace store sits behind a repartition topic, named <application.id>-<name> in partition metadata
    assertThat(sources.get(Stores.TRACE_LOGS)).doesNotContain(Topics.LOGS_NORMALIZED.name())
        .anyMatch(t -> t.startsWith("app-") && t.endsWith("-repartition"));
  }
}
