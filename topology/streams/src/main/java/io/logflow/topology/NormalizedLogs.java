package io.logflow.topology;

import io.logflow.model.LogRecord;
import io.logflow.model.schema.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The {@code logflow.logs} source shared by the aggregating sub-topologies. A topic can be
 * subscribed once per topology, and reading it once means each log is deserialised once however
 * many sub-topologies use it.
 */
final class NormalizedLogs {
    static final String SOURCE = "logflow-logs-source";

    private NormalizedLogs() {}

    static KStream<String, LogRecord> stream(StreamsBuilder builder) {
        return builder.stream(
                Topics.LOGS_NORMALIZED.name(),
                Consumed.with(Topics.LOGS_NORMALIZED.keySerde(), Topics.LOGS_NORMALIZED.valueSerde())
                        .withName(SOURCE));
    }
}
