package io.logflow.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes paid orders from {@value DemoService#ORDERS_TOPIC} and fulfils them: picks, packs (a few
 * milliseconds of work) and logs; now and then an item is short and the order is backordered (WARN).
 * Ready once it has its partitions, so that no order produced after "ready" is missed.
 */
final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Pattern FIELD = Pattern.compile("\"(order|item|qty)\":\"?([^,\"}]+)");

    private final KafkaConsumer<String, String> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch done = new CountDownLatch(1);

    private Worker(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    static AutoCloseable start(String bootstrapServers) {
        Topics.ensure(bootstrapServers);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "demo-worker",
                ConsumerConfig.CLIENT_ID_CONFIG, "demo-worker",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        Worker worker = new Worker(new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()));
        Thread loop = new Thread(worker::run, "worker");
        loop.start();
        return worker;
    }

    private void run() {
        try {
            AtomicBoolean ready = new AtomicBoolean();
            consumer.subscribe(List.of(DemoService.ORDERS_TOPIC), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty() && ready.compareAndSet(false, true)) {
                        consumer.position(partitions.iterator().next()); // resolve "latest" now, before saying ready
                        log.info("ready, consuming {} ({} partitions)", DemoService.ORDERS_TOPIC, partitions.size());
                    }
                }
            });
            while (running.get()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                // the agent gives each record a process span, current while the loop body handles it
                for (ConsumerRecord<String, String> record : records) fulfil(record);
            }
        } catch (WakeupException stopping) {
            // close() asked
        } catch (RuntimeException e) {
            log.error("worker stopped by an error", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            done.countDown();
        }
    }

    private static void fulfil(ConsumerRecord<String, String> record) {
        String order = field(record.value(), "order");
        String item = field(record.value(), "item");
        long started = System.nanoTime();
        log.info(
                "fulfilling order {}: {} x {} (partition {}, offset {})",
                order,
                field(record.value(), "qty"),
                item,
                record.partition(),
                record.offset());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Http.sleep(5 + rnd.nextLong(40));
        if (rnd.nextDouble() < 0.05) {
            log.warn("order {}: {} is short in the warehouse, backordered", order, item);
            return;
        }
        log.info("order {} packed and handed to shipping in {} ms", order, (System.nanoTime() - started) / 1_000_000);
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) if (m.group(1).equals(name)) return m.group(2);
        return "?";
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        done.await(10, TimeUnit.SECONDS);
    }
}
