package io.logflow.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The whole LogFlow topology, assembled from its sub-topologies. Building is separate from running:
 * no KafkaStreams in here.
 */
public final class LogFlowTopology {
  private LogFlowTopology() {}

  public static Topology build(TopologyOptions options) {
    StreamsBuilder builder = new StreamsBuilder();
    // TODO(topology helper): NormalizeTopology.addTo, ServiceStatsTopology.addTo, RecentLogsTopology.addTo, TraceLogsTopology.addTo
    return builder.build();
  }
}
