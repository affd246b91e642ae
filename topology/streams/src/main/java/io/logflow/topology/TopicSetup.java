package io.logflow.topology;

import static java.util.Objects.requireNonNull;

import io.logflow.model.schema.Topic;
import io.logflow.model.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates LogFlow's topics ({@link Topics#ALL}) before Kafka Streams starts (Streams goes to ERROR
 * when an input topic is missing). Safe to run from several instances at once: a topic that exists
 * already, or is created concurrently by another instance, is fine. Existing topics are left as
 * they are (their partition count is not changed). Returns once every partition's leader answers,
 * so a producer may write at once. Internal topics (repartition, changelog) are created by Kafka
 * Streams itself.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {}

    public static void ensure(Admin admin, int partitions, short replicationFactor) {
        requireNonNull(admin, "admin");
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1");
        if (replicationFactor < 1) throw new IllegalArgumentException("replicationFactor must be >= 1");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            Set<String> existing = admin.listTopics().names().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> spec : Topics.ALL) {
                if (!existing.contains(spec.name())) missing.add(newTopic(spec, partitions, replicationFactor));
            }
            if (!missing.isEmpty()) {
                CreateTopicsResult result = admin.createTopics(missing);
                for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
                    try {
                        e.getValue().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                        LOG.info(
                                "Created topic {} ({} partitions, replication factor {})",
                                e.getKey(),
                                partitions,
                                replicationFactor);
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
                        LOG.debug("Topic {} was created concurrently", e.getKey());
                    }
                }
            }
            awaitDescribable(admin, deadline);
            awaitLeaders(admin, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new KafkaException(
                    "cannot create LogFlow topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("topics not ready within " + TIMEOUT.toSeconds() + " s", e);
        }
    }

    static NewTopic newTopic(Topic<?, ?> spec, int partitions, short replicationFactor) {
        Map<String, String> configs = new HashMap<>(spec.configs());
        if (spec.compacted())
            configs.putIfAbsent(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT); // or compact,delete
        return new NewTopic(spec.name(), partitions, replicationFactor).configs(configs);
    }

    /** Creation is acknowledged by the controller before every broker knows the topic: wait until it is described. */
    private static void awaitDescribable(Admin admin, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        retryUntil(
                deadline,
                "topics not yet visible: " + names,
                () -> admin.describeTopics(names).allTopicNames());
    }

    /**
     * Until the leader of every partition answers as one. Right after creation the metadata can name
     * a leader before that broker acts as one, and an idempotent producer whose first batch is
     * answered NOT_LEADER may then retry it into OUT_OF_ORDER_SEQUENCE_NUMBER errors and fail the
     * send (seen with Kafka 4.x on a fresh single-node broker). ListOffsets is answered by the
     * leader's replica manager itself, so once it succeeds everywhere, producing is safe.
     */
    private static void awaitLeaders(Admin admin, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(names)
                .allTopicNames()
                .get(remainingMs(deadline), TimeUnit.MILLISECONDS)
                .forEach((name, d) -> d.partitions()
                        .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        retryUntil(
                deadline,
                "partition leaders not ready",
                () -> admin.listOffsets(latest).all());
    }

    /** Asks again every 100 ms while the answer is a retriable error (unknown topic, not leader yet, ...). */
    private static void retryUntil(long deadline, String notReady, java.util.function.Supplier<KafkaFuture<?>> ask)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                ask.get().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) throw e;
                if (remainingMs(deadline) <= 100)
                    throw new TimeoutException(notReady + ": " + e.getCause().getMessage());
                Thread.sleep(100);
            }
        }
    }

    private static long remainingMs(long deadline) throws TimeoutException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) throw new TimeoutException("deadline passed");
        return ms;
    }
}
