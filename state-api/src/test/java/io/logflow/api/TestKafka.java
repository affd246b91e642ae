package io.logflow.api;

import io.logflow.infra.LocalKafka;

/** One real Kafka broker per test JVM, shared by every integration test class, stopped at exit. */
final class TestKafka {
    private static LocalKafka kafka;

    private TestKafka() {}

    static synchronized String bootstrapServers() {
        if (kafka == null) {
            LocalKafka k = LocalKafka.startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(k::close, "test-kafka-stop"));
            kafka = k;
        }
        return kafka.bootstrapServers();
    }
}
