package io.logflow.model.schema;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic LogFlow reads or writes: its name, the serdes of its keys and values, and how it is
 * created. Partitions and replication come from configuration.
 *
 * @param keySerde the serde of the record keys, as the topology reads them
 * @param valueSerde the serde of the record values, as the topology reads them
 * @param compacted created with {@code cleanup.policy=compact}, unless {@code configs} name another policy
 * @param configs topic configs set at creation ({@code retention.ms}, {@code max.message.bytes}, ...)
 */
public record Topic<K, V>(
        String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, Map<String, String> configs) {
    public Topic {
        requireNonNull(name, "name");
        requireNonNull(keySerde, "keySerde");
        requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
    }
}
