package io.logflow.connect.elasticsearch;

import static io.logflow.connect.elasticsearch.TestObjects.LOGS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.SPANS_TOPIC;
import static io.logflow.connect.elasticsearch.TestObjects.bulk;
import static io.logflow.connect.elasticsearch.TestObjects.item;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IndexerTest {
    private static final TopicPartition P0 = new TopicPartition(LOGS_TOPIC, 0);
    private static final Documents DOCUMENTS =
            new Documents(LOGS_TOPIC, SPANS_TOPIC, new IndexNames("logflow-logs"), new IndexNames("logflow-spans"));

    private final FakeTarget es = new FakeTarget();
    private final SinkMetrics metrics = new SinkMetrics();
    private final Offsets offsets = new Offsets();
    private final List<Indexer.Pending> all = new ArrayList<>();
    private Indexer indexer;

    @AfterEach
    void close() {
        if (indexer != null) indexer.close();
    }

    private Indexer start(int maxActions, long maxBytes, int lingerMs, int maxInFlight, int maxBuffered) {
        indexer = new Indexer(
                        new Indexer.Limits(maxActions, maxBytes, lingerMs, maxInFlight, maxBuffered, 1L << 30),
                        new Backoff(1, 5),
                        es,
                        metrics,
                        () -> 0.0)
                .start();
        return indexer;
    }

    /** Documents with ids d0, d1, ... at offsets 0, 1, ... of partition 0. */
    private List<Indexer.Pending> docs(int n) {
        List<Indexer.Pending> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int offset = all.size();
            byte[] json = TestObjects.log("d" + offset);
            SinkRecord record = TestObjects.record(LOGS_TOPIC, 0, offset, json);
            Documents.Doc doc = (Documents.Doc) DOCUMENTS.map(LOGS_TOPIC, json);
            Indexer.Pending p = new Indexer.Pending(doc, record, offsets.track(P0, offset));
            docs.add(p);
            all.add(p);
        }
        return docs;
    }

    private static void indexAll(FakeTarget.Request r) {
        r.answer().complete(TestObjects.allIndexed(r.docs()));
    }

    @Test
    void fullBatchesGoAtOnce_aPartialOneWaitsForTheLinger() throws Exception {
        start(3, 1 << 20, 60_000, 10, 1_000).addAll(docs(7));
        assertThat(es.next().ids()).containsExactly("d0", "d1", "d2");
        assertThat(es.next().ids()).containsExactly("d3", "d4", "d5");
        es.assertNoRequestWithin(200);
    }

    @Test
    void lingerSendsAPartialBatch() throws Exception {
        start(1_000, 1 << 20, 20, 10, 1_000).addAll(docs(2));
        assertThat(es.next().ids()).containsExactly("d0", "d1");
    }

    @Test
    void batchesAreCutByBytes() throws Exception {
        List<Indexer.Pending> docs = docs(5);
        start(1_000, docs.get(0).bytes * 2 + 1, 0, 10, 1_000).addAll(docs);
        assertThat(es.next().ids()).containsExactly("d0", "d1");
        assertThat(es.next().ids()).containsExactly("d2", "d3");
        assertThat(es.next().ids()).containsExactly("d4");
    }

    @Test
    void atMostMaxInFlightRequestsAreUnanswered() throws Exception {
        start(1, 1 << 20, 0, 2, 1_000).addAll(docs(5));
        FakeTarget.Request first = es.next();
        es.next();
        es.assertNoRequestWithin(200);
        indexAll(first);
        assertThat(es.next().ids()).containsExactly("d2");
        es.assertNoRequestWithin(100);
    }

    @Test
    void itemsRefusedWith429_areRetriedAlone_andAcknowledgedWhenIndexed() throws Exception {
        start(10, 1 << 20, 0, 1, 1_000).addAll(docs(3));
        FakeTarget.Request first = es.next();
        first.answer()
                .complete(bulk(
                        item("d0", 201, null, null),
                        item("d1", 429, "es_rejected_execution_exception", "queue full"),
                        item("d2", 201, null, null)));
        FakeTarget.Request retry = es.next();
        assertThat(retry.ids()).containsExactly("d1");
        assertThat(offsets.committable()).containsExactly(java.util.Map.entry(P0, new OffsetAndMetadata(1)));
        indexAll(retry);
        awaitBuffered(0);
        assertThat(offsets.committable()).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(metrics.indexed.sum()).isEqualTo(3);
        assertThat(metrics.retried.sum()).isEqualTo(1);
        assertThat(indexer.pollRejected()).isNull();
    }

    @Test
    void itemsRejectedAsMalformed_areHandedBackForTheDeadLetterQueue_andNeverRetried() throws Exception {
        start(10, 1 << 20, 0, 1, 1_000).addAll(docs(2));
        es.next()
                .answer()
                .complete(bulk(
                        item("d0", 201, null, null),
                        item("d1", 400, "document_parsing_exception", "failed to parse field [@timestamp]")));
        awaitBuffered(0);
        Indexer.Rejected rejected = indexer.pollRejected();
        assertThat(rejected).isNotNull();
        assertThat(rejected.pending()).isSameAs(all.get(1));
        assertThat(rejected.reason())
                .isEqualTo("Elasticsearch rejected the document: 400 document_parsing_exception: "
                        + "failed to parse field [@timestamp]");
        assertThat(all.get(1).ticket.isDone()).isFalse(); // done once dead-lettered, by the task
        assertThat(indexer.pollRejected()).isNull();
        es.assertNoRequestWithin(100);
    }

    @Test
    void aRequestThatFailsWhole_isSentAgain_untilElasticsearchAnswers() throws Exception {
        start(10, 1 << 20, 0, 1, 1_000).addAll(docs(3));
        es.next().answer().completeExceptionally(new ConnectException("Connection refused"));
        es.next().answer().completeExceptionally(new ConnectException("Connection refused"));
        FakeTarget.Request third = es.next();
        assertThat(third.ids()).containsExactlyInAnyOrder("d0", "d1", "d2");
        indexAll(third);
        awaitBuffered(0);
        assertThat(offsets.committable()).containsEntry(P0, new OffsetAndMetadata(3));
        assertThat(metrics.failedRequests.sum()).isEqualTo(2);
        assertThat(metrics.retried.sum()).isEqualTo(6);
    }

    @Test
    void noBulkRequest_beforeTheTemplatesAreInstalled() throws Exception {
        es.prepareFailuresLeft.set(3);
        start(10, 1 << 20, 0, 1, 1_000).addAll(docs(1));
        FakeTarget.Request r = es.next();
        assertThat(es.prepares.get()).isEqualTo(4);
        assertThat(r.ids()).containsExactly("d0");
    }

    @Test
    void bufferIsFull_atItsLimit_untilDocumentsAreAcknowledged() throws Exception {
        start(10, 1 << 20, 0, 1, 3).addAll(docs(2));
        assertThat(indexer.full()).isFalse();
        indexer.addAll(docs(1));
        assertThat(indexer.full()).isTrue();
        assertThat(indexer.awaitRoom(50)).isFalse();
        FakeTarget.Request r = es.next();
        indexAll(r);
        assertThat(indexer.awaitRoom(5_000)).isTrue();
        assertThat(indexer.buffered()).isLessThan(3);
    }

    @Test
    void documentsWaitingForARetry_stillCountAgainstTheBuffer() throws Exception {
        start(10, 1 << 20, 0, 1, 2).addAll(docs(2));
        es.next().answer().completeExceptionally(new ConnectException("Connection refused"));
        assertThat(indexer.full()).isTrue();
        assertThat(indexer.buffered()).isEqualTo(2);
        assertThat(indexer.bufferedBytes()).isEqualTo(all.get(0).bytes + all.get(1).bytes);
    }

    private void awaitBuffered(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (indexer.buffered() != n && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(indexer.buffered()).isEqualTo(n);
    }
}
