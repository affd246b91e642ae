package io.logflow.api.config;

import io.logflow.model.schema.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ingest producer (POST /api/v1/logs, OTLP/HTTP): idempotent, acks=all, batched for throughput. */
@Configuration(proxyBeanMethods = false)
class KafkaClients {
    @Bean(destroyMethod = "close")
    Producer<String, byte[]> ingestProducer(LogFlowProperties props, MeterRegistry registry) {
        LogFlowProperties.Ingest in = props.ingest();
        long timeoutMs = in.sendTimeout().toMillis();
        Map<String, Object> config = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, props.kafka().bootstrapServers()),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, props.streams().applicationId() + "-ingest"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, in.lingerMs()),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, in.batchBytes()),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, in.compression()),
                // a log may be up to MAX_LOG_BYTES, an OTLP request up to MAX_OTLP_RECORD_BYTES; the topics accept
                // MAX_MESSAGE_BYTES
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 10_000L)),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 10_000L)),
                Map.entry(
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMs, 10_000L + in.lingerMs())));
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        new KafkaClientMetrics(producer).bindTo(registry);
        return producer;
    }
}
