package io.logflow.connect.elasticsearch;

import static io.logflow.connect.elasticsearch.TestObjects.LOGS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.SPANS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.bulk;
import static io.logflow.connect.elasticsearch.TestObjects.item;
import static io.logflow.connect.elasticsearch.TestObjects.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkTaskTest {
    private static final TopicPartition LOGS_0 = new TopicPartition(LOGS_TOPIC, 0);
    private static final TopicPartition SPANS_0 = new TopicPartition(SPANS_TOPIC, 0);

    private final FakeTarget es = new FakeTarget();
    private final Context context = new Context();
    private ElasticsearchSinkTask task;

    /** Connect's side of the task: its assignment, what was paused, the dead-letter queue. */
    static final class Context implements SinkTaskContext {
        final Set<TopicPartition> assignment = new HashSet<>(List.of(LOGS_0, SPANS_0));
        final Set<TopicPartition> paused = new HashSet<>();
        final List<SinkRecord> deadLetters = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        final List<Long> timeouts = new ArrayList<>();
        boolean withReporter = true;

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {
            timeouts.add(timeoutMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return assignment;
        }

        @Override
        public void pause(TopicPartition... partitions) {
            paused.addAll(List.of(partitions));
        }

        @Override
        public void resume(TopicPartition... partitions) {
            paused.removeAll(List.of(partitions));
        }

        @Override
        public void requestCommit() {}

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            if (!withReporter) return null;
            return (record, error) -> {
                deadLetters.add(record);
                reasons.add(error.getMessage());
                CompletableFuture<Void> written = new CompletableFuture<>();
                writes.add(written);
                return written;
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }

    private ElasticsearchSinkTask start(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("elasticsearch.urls", "http://127.0.0.1:1");
        props.put("retry.backoff.initial.ms", "1");
        props.put("retry.backoff.max.ms", "5");
        props.put("bulk.linger.ms", "0");
        props.put("retention.days", "0");
        for (int i = 0; i < keyValues.length; i += 2) props.put(keyValues[i], keyValues[i + 1]);
        task = new ElasticsearchSinkTask(config -> es, 100);
        task.initialize(context);
        task.start(props);
        return task;
    }

    @AfterEach
    void stop() {
        if (task != null) task.stop();
    }

    private static SinkRecord log(long offset) {
        return record(LOGS_TOPIC, 0, offset, TestObjects.log("e" + offset));
    }

    private Map<TopicPartition, OffsetAndMetadata> preCommit() {
        return task.preCommit(Map.of());
    }

    @Test
    void offsetsAreCommitted_onlyForWhatElasticsearchAcknowledged() throws Exception {
        start("bulk.max.in.flight.requests", "1").put(List.of(log(0), log(1), log(2)));
        FakeTarget.Request r = es.next();
        assertThat(preCommit()).isEmpty();
        r.answer()
                .complete(bulk(
                        item("e0", 201, null, null),
                        item("e1", 503, "unavailable_shards_exception", "primary not active"),
                        item("e2", 201, null, null)));
        awaitCommit(LOGS_0, 1);
        FakeTarget.Request retry = es.next();
        assertThat(retry.ids()).containsExactly("e1");
        assertThat(preCommit()).isEqualTo(Map.of(LOGS_0, new OffsetAndMetadata(1)));
        indexAll(retry);
        awaitCommit(LOGS_0, 3);
    }

    @Test
    void logsAndSpans_goToTheirOwnDailyIndices_withDeterministicIds() throws Exception {
        start().put(List.of(
                record(LOGS_TOPIC, 0, 0, TestObjects.logJson()), record(SPANS_TOPIC, 0, 0, TestObjects.spanJson())));
        List<Documents.Doc> docs = new ArrayList<>(es.next().docs());
        assertThat(docs)
                .extracting(Documents.Doc::index)
                .containsExactlyInAnyOrder("logflow-logs-2026.01.01", "logflow-spans-2025.12.31");
        assertThat(docs)
                .extracting(Documents.Doc::id)
                .containsExactlyInAnyOrder(TestObjects.EVENT_ID, TestObjects.TRACE_ID + "-" + TestObjects.SPAN_ID);
    }

    @Test
    void invalidRecords_goToTheDeadLetterQueue_withTheReason_andTheRestIsIndexed() throws Exception {
        start().put(List.of(log(0), record(LOGS_TOPIC, 0, 1, "not json".getBytes(StandardCharsets.UTF_8)), log(2)));
        assertThat(context.deadLetters).extracting(SinkRecord::kafkaOffset).containsExactly(1L);
        assertThat(context.reasons.get(0)).startsWith("not valid JSON");
        indexAll(es.next());
        awaitCommit(LOGS_0, 1); // offset 1 waits for its dead-letter write
        context.writes.get(0).complete(null);
        assertThat(preCommit()).isEqualTo(Map.of(LOGS_0, new OffsetAndMetadata(3)));
        assertThat(task.metrics().deadLettered.sum()).isEqualTo(1);
    }

    @Test
    void documentsElasticsearchRejects_goToTheDeadLetterQueue() throws Exception {
        start().put(List.of(log(0), log(1)));
        es.next()
                .answer()
                .complete(bulk(
                        item("e0", 400, "document_parsing_exception", "failed to parse field [labels.n]"),
                        item("e1", 201, null, null)));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (context.deadLetters.isEmpty() && System.nanoTime() < deadline) {
            task.put(List.of()); // dead letters are reported from put() and preCommit(), on the task's thread
            Thread.sleep(5);
        }
        assertThat(context.deadLetters).extracting(SinkRecord::kafkaOffset).containsExactly(0L);
        assertThat(context.reasons.get(0))
                .isEqualTo("Elasticsearch rejected the document: 400 document_parsing_exception: failed to parse "
                        + "field [labels.n]");
        context.writes.get(0).complete(null);
        assertThat(preCommit()).isEqualTo(Map.of(LOGS_0, new OffsetAndMetadata(2)));
    }

    @Test
    void withoutADeadLetterQueue_badRecordsAreSkippedAndCounted() throws Exception {
        context.withReporter = false;
        start().put(List.of(record(LOGS_TOPIC, 0, 0, "{}".getBytes(StandardCharsets.UTF_8)), log(1)));
        assertThat(task.metrics().skipped.sum()).isEqualTo(1);
        indexAll(es.next());
        awaitCommit(LOGS_0, 2);
    }

    @Test
    void fullBuffer_pausesThePartitions_andRoomResumesThem() throws Exception {
        start("buffer.max.records", "2", "bulk.max.actions", "2", "bulk.max.in.flight.requests", "1");
        task.put(List.of(log(0), log(1), log(2)));
        assertThat(context.paused).containsExactlyInAnyOrder(LOGS_0, SPANS_0);
        task.put(List.of());
        assertThat(context.paused).isNotEmpty();
        indexAll(es.next());
        indexAll(es.next());
        task.put(List.of());
        assertThat(context.paused).isEmpty();
        awaitCommit(LOGS_0, 3);
    }

    @Test
    void whilePaused_everyPutAsksConnectToPollAgainSoon_soRoomResumesWithoutWaitingForTheNextOffsetCommit()
            throws Exception {
        start("buffer.max.records", "2", "bulk.max.actions", "2", "bulk.max.in.flight.requests", "1");
        task.put(List.of(log(0)));
        assertThat(context.timeouts).as("not paused: Connect polls as it likes").isEmpty();
        task.put(List.of(log(1), log(2)));
        assertThat(context.paused).isNotEmpty();
        assertThat(context.timeouts).containsExactly(ElasticsearchSinkTask.PAUSED_POLL_MS);
        task.put(List.of()); // what Connect calls after a poll of paused partitions
        assertThat(context.timeouts).hasSize(2);
        indexAll(es.next());
        indexAll(es.next());
        task.put(List.of());
        assertThat(context.paused).isEmpty();
        assertThat(context.timeouts).as("resumed: no more early polls").hasSize(2);
    }

    @Test
    void elasticsearchDown_neverFailsTheTask_andItCatchesUpWhenBack() throws Exception {
        start().put(List.of(log(0), log(1)));
        for (int i = 0; i < 5; i++) {
            es.next().answer().completeExceptionally(new ConnectException("Connection refused"));
            task.put(List.of());
            assertThat(preCommit()).isEmpty();
        }
        indexAll(es.next());
        awaitCommit(LOGS_0, 2);
        assertThat(task.metrics().failedRequests.sum()).isEqualTo(5);
    }

    @Test
    void revokedPartitions_areNoLongerCommitted() throws Exception {
        start().put(List.of(log(0)));
        indexAll(es.next());
        awaitCommit(LOGS_0, 1);
        task.close(List.of(LOGS_0));
        assertThat(preCommit()).isEmpty();
    }

    private static void indexAll(FakeTarget.Request r) {
        r.answer().complete(TestObjects.allIndexed(r.docs()));
    }

    private void awaitCommit(TopicPartition tp, long offset) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        OffsetAndMetadata expected = new OffsetAndMetadata(offset);
        while (!expected.equals(preCommit().get(tp)) && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(preCommit()).containsEntry(tp, expected);
    }
}
