package io.logflow.api.cluster;

import org.apache.kafka.streams.KafkaStreams;

/** For integration tests outside this package: the running Kafka Streams client (503 problem when none is). */
public final class StreamsAccess {
    private StreamsAccess() {}

    public static KafkaStreams running(StreamsRuntime runtime) {
        return runtime.requireRunning();
    }
}
