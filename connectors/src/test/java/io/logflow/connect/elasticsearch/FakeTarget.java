package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Elasticsearch in the flow-control tests: it records each bulk request and answers only when the
 * test says so, with a response parsed from Elasticsearch's JSON ({@link TestObjects#bulk}) or a failure. What an
 * answer means is {@link BulkResults}'s, tested on its own.
 */
final class FakeTarget implements SearchBackend {
    record Request(List<Documents.Doc> docs, CompletableFuture<BulkResponse> answer) {
        List<String> ids() {
            return docs.stream().map(Documents.Doc::id).toList();
        }
    }

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger prepareFailuresLeft = new AtomicInteger();
    final AtomicInteger prepares = new AtomicInteger();

    @Override
    public void prepare() throws Exception {
        prepares.incrementAndGet();
        if (prepareFailuresLeft.getAndDecrement() > 0) throw new ConnectException("Connection refused");
    }

    @Override
    public CompletionStage<BulkResponse> bulk(List<Documents.Doc> docs) {
        CompletableFuture<BulkResponse> answer = new CompletableFuture<>();
        requests.add(new Request(docs, answer));
        return answer;
    }

    /** The next bulk request, waiting up to 5 s for it. */
    Request next() throws InterruptedException {
        Request r = requests.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a bulk request within 5 s").isNotNull();
        return r;
    }

    /** No bulk request within {@code ms}. */
    void assertNoRequestWithin(long ms) throws InterruptedException {
        assertThat(requests.poll(ms, TimeUnit.MILLISECONDS)).isNull();
    }

    @Override
    public List<String> indices(String pattern) {
        return List.of();
    }

    @Override
    public void delete(List<String> indices) {}

    @Override
    public void close() {}
}
