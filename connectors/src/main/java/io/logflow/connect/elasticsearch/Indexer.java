package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends documents to Elasticsearch in bulk requests and sees each one through: batches by count and bytes (or
 * after a short linger), keeps at most {@code maxInFlight} requests unanswered, retries what failed for a reason that
 * may pass with exponential backoff (forever), acknowledges each indexed document's {@link Offsets.Ticket}, and
 * queues the documents Elasticsearch rejects for the task to dead-letter ({@link #pollRejected}).
 *
 * <p>Everything it holds (waiting, in flight, waiting for a retry) counts against the buffer limits: {@link
 * #full()} tells the task to stop taking records. One dispatcher thread builds and sends the requests; answers
 * arrive on the HTTP client's threads.
 */
final class Indexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Indexer.class);

    /** Bytes a document adds to a bulk request besides its source: the action line, roughly. */
    static final int ACTION_OVERHEAD_BYTES = 64;

    record Limits(
            int maxActions,
            long maxBytes,
            int lingerMs,
            int maxInFlight,
            int maxBufferedRecords,
            long maxBufferedBytes) {
        Limits {
            if (maxActions < 1 || maxBytes < 1 || lingerMs < 0 || maxInFlight < 1 || maxBufferedRecords < 1) {
                throw new IllegalArgumentException("bad limits");
            }
        }
    }

    /** Where the documents go: Elasticsearch ({@link ElasticsearchGateway}), or a stand-in in unit tests. */
    interface Target {
        /** Runs before the first bulk request, and again (with backoff) until it succeeds: the index templates. */
        void prepare() throws Exception;

        /** One bulk request of index operations, in this order. */
        CompletionStage<BulkResponse> bulk(List<Documents.Doc> docs);
    }

    /** A document on its way, with the record it came from and that record's ticket. */
    static final class Pending {
        final Documents.Doc doc;
        final SinkRecord record;
        final Offsets.Ticket ticket;
        final long bytes;
        int retries;
        long readyAtNanos;
        long dueNanos;

        Pending(Documents.Doc doc, SinkRecord record, Offsets.Ticket ticket) {
            this.doc = requireNonNull(doc, "doc");
            this.record = record;
            this.ticket = requireNonNull(ticket, "ticket");
            this.bytes = doc.source().length + doc.id().length() + doc.index().length() + ACTION_OVERHEAD_BYTES;
        }
    }

    /** A document Elasticsearch will never take, and why. */
    record Rejected(Pending pending, String reason) {}

    private final Limits limits;
    private final Backoff backoff;
    private final Target target;
    private final SinkMetrics metrics;
    private final DoubleSupplier random;
    private final long lingerNanos;

    private final ReentrantLock lock = new ReentrantLock();
    /** Something for the dispatcher: documents added, a request answered, closing. */
    private final Condition changed = lock.newCondition();
    /** The buffer has room again. */
    private final Condition room = lock.newCondition();

    private final ArrayDeque<Pending> ready = new ArrayDeque<>();
    private final PriorityQueue<Pending> waiting = new PriorityQueue<>(Comparator.comparingLong(p -> p.dueNanos));
    private final ConcurrentLinkedQueue<Rejected> rejected = new ConcurrentLinkedQueue<>();
    private long readyBytes;
    private int inFlight;
    private int buffered;
    private long bufferedBytes;
    private boolean prepared;
    private int prepareFailures;
    private long prepareDueNanos;
    private boolean failing;
    private boolean closed;
    private final Thread dispatcher;

    Indexer(Limits limits, Backoff backoff, Target target, SinkMetrics metrics, DoubleSupplier random) {
        this.limits = requireNonNull(limits, "limits");
        this.backoff = requireNonNull(backoff, "backoff");
        this.target = requireNonNull(target, "target");
        this.metrics = requireNonNull(metrics, "metrics");
        this.random = requireNonNull(random, "random");
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(limits.lingerMs());
        this.prepareDueNanos = System.nanoTime();
        this.dispatcher = new Thread(this::dispatch, "logflow-es-sink-dispatcher");
        this.dispatcher.setDaemon(true);
    }

    Indexer start() {
        dispatcher.start();
        return this;
    }

    /** Takes documents to send; never blocks (the task checks {@link #full()} afterwards). */
    void addAll(Collection<Pending> docs) {
        if (docs.isEmpty()) return;
        lock.lock();
        try {
            if (closed) return;
            long now = System.nanoTime();
            for (Pending p : docs) {
                p.readyAtNanos = now;
                ready.addLast(p);
                readyBytes += p.bytes;
                buffered++;
                bufferedBytes += p.bytes;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The buffer is at one of its limits: take no more records until it is not. */
    boolean full() {
        lock.lock();
        try {
            return isFull();
        } finally {
            lock.unlock();
        }
    }

    private boolean isFull() {
        return buffered >= limits.maxBufferedRecords() || bufferedBytes >= limits.maxBufferedBytes();
    }

    /** Waits until the buffer is not full, at most {@code timeoutMs}; whether it has room. */
    boolean awaitRoom(long timeoutMs) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (isFull() && !closed && left > 0) left = room.awaitNanos(left);
            return !isFull();
        } finally {
            lock.unlock();
        }
    }

    int buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    long bufferedBytes() {
        lock.lock();
        try {
            return bufferedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The next document Elasticsearch rejected, for the task to dead-letter; null when there is none. */
    Rejected pollRejected() {
        return rejected.poll();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        dispatcher.interrupt();
        try {
            dispatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        while (true) {
            List<Pending> batch = null;
            boolean prepareNow = false;
            lock.lock();
            try {
                if (closed) return;
                long now = System.nanoTime();
                promoteDueRetries(now);
                long waitNanos = Long.MAX_VALUE;
                if (!prepared) {
                    if (now - prepareDueNanos >= 0) prepareNow = true;
                    else waitNanos = prepareDueNanos - now;
                } else if (!ready.isEmpty() && inFlight < limits.maxInFlight()) {
                    long sendAt = ready.peekFirst().readyAtNanos + lingerNanos;
                    if (ready.size() >= limits.maxActions() || readyBytes >= limits.maxBytes() || now - sendAt >= 0) {
                        batch = takeBatch();
                        inFlight++;
                    } else {
                        waitNanos = sendAt - now;
                    }
                }
                if (batch == null && !prepareNow) {
                    Pending next = waiting.peek();
                    if (next != null) waitNanos = Math.min(waitNanos, Math.max(next.dueNanos - now, 1));
                    if (waitNanos == Long.MAX_VALUE) changed.await();
                    else changed.awaitNanos(waitNanos);
                    continue;
                }
            } catch (InterruptedException e) {
                continue; // closing: the loop sees it; otherwise spurious
            } finally {
                lock.unlock();
            }
            if (prepareNow) prepare();
            else send(batch);
        }
    }

    private void promoteDueRetries(long now) {
        while (!waiting.isEmpty() && now - waiting.peek().dueNanos >= 0) {
            Pending p = waiting.poll();
            p.readyAtNanos = now - lingerNanos; // already waited: goes out with the next request
            ready.addFirst(p);
            readyBytes += p.bytes;
        }
    }

    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(ready.size(), limits.maxActions()));
        long bytes = 0;
        while (!ready.isEmpty() && batch.size() < limits.maxActions()) {
            Pending p = ready.peekFirst();
            if (!batch.isEmpty() && bytes + p.bytes > limits.maxBytes()) break;
            ready.pollFirst();
            readyBytes -= p.bytes;
            bytes += p.bytes;
            batch.add(p);
        }
        return batch;
    }

    private void prepare() {
        try {
            target.prepare();
            lock.lock();
            try {
                prepared = true;
            } finally {
                lock.unlock();
            }
            if (prepareFailures > 0) log.info("Elasticsearch is ready after {} failed attempts", prepareFailures);
        } catch (Exception e) {
            prepareFailures++;
            long delayMs = backoff.delayMs(prepareFailures, random.getAsDouble());
            lock.lock();
            try {
                prepareDueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            } finally {
                lock.unlock();
            }
            Throwable cause = BulkResults.unwrap(e);
            log.warn(
                    "Could not install the index templates in Elasticsearch ({}: {}); trying again in {} ms",
                    cause.getClass().getSimpleName(),
                    cause.getMessage(),
                    delayMs);
        }
    }

    private void send(List<Pending> batch) {
        List<Documents.Doc> docs = new ArrayList<>(batch.size());
        for (Pending p : batch) docs.add(p.doc);
        metrics.bulkRequests.increment();
        CompletionStage<BulkResponse> answer;
        try {
            answer = target.bulk(docs);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> completed(batch, response, error));
    }

    /** Applies Elasticsearch's answer (or the request's failure) to each document of a request. */
    void completed(List<Pending> batch, BulkResponse response, Throwable error) {
        List<BulkResults.Result> results;
        if (error != null) {
            metrics.failedRequests.increment();
            results = Collections.nCopies(batch.size(), BulkResults.requestFailed(batch.size(), error));
        } else {
            try {
                results = BulkResults.of(batch.size(), response);
            } catch (RuntimeException e) {
                results = Collections.nCopies(batch.size(), BulkResults.requestFailed(batch.size(), e));
            }
        }
        int indexed = 0, retried = 0, dropped = 0;
        String retryReason = null;
        // one delay for all the documents retried from this request, so that they go again together
        int attempt = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (results.get(i).verdict() == BulkResults.Verdict.RETRY)
                attempt = Math.max(attempt, batch.get(i).retries + 1);
        }
        long delayMs = attempt == 0 ? 0 : backoff.delayMs(attempt, random.getAsDouble());
        boolean recovered;
        lock.lock();
        try {
            inFlight--;
            long now = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                BulkResults.Result r = results.get(i);
                switch (r.verdict()) {
                    case INDEXED -> {
                        p.ticket.done();
                        release(p);
                        indexed++;
                    }
                    case REJECT -> {
                        rejected.add(new Rejected(p, "Elasticsearch rejected the document: " + r.reason()));
                        release(p);
                        dropped++;
                    }
                    case RETRY -> {
                        p.retries++;
                        p.dueNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
                        waiting.add(p);
                        if (retryReason == null) retryReason = r.reason();
                        retried++;
                    }
                }
            }
            recovered = failing && retried == 0;
            failing = retried > 0;
            changed.signalAll();
            if (!isFull()) room.signalAll();
        } finally {
            lock.unlock();
        }
        metrics.indexed.add(indexed);
        metrics.retried.add(retried);
        if (retried > 0) {
            log.warn(
                    "Elasticsearch did not take {} of {} documents ({}); retrying them in {} ms",
                    retried,
                    batch.size(),
                    retryReason,
                    delayMs);
        } else if (recovered) {
            log.info("Elasticsearch takes documents again");
        }
        if (dropped > 0) log.debug("{} of {} documents rejected by Elasticsearch", dropped, batch.size());
    }

    private void release(Pending p) {
        buffered--;
        bufferedBytes -= p.bytes;
    }
}
