package io.logflow.api.ingest;

import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.api.web.LimitedBody;
import io.logflow.model.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/logs}: validates each entry with the topology's rules and produces the valid
 * ones, as sent, to {@code logs} keyed by service. Answers 202 only once Kafka has acknowledged
 * every produced log (idempotent producer, acks=all); if Kafka fails, 503 — the client retries the
 * whole request. While Kafka acknowledges nothing ({@link AckWatch}), 503 at once, nothing produced.
 */
@Component
public class IngestHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);
    static final MediaType NDJSON = MediaType.APPLICATION_NDJSON;

    private final Producer<String, byte[]> producer;
    private final LogFlowMetrics metrics;
    private final LogFlowProperties.Ingest config;
    private final AckWatch acks;

    IngestHandler(Producer<String, byte[]> producer, LogFlowMetrics metrics, LogFlowProperties props, AckWatch acks) {
        this.producer = producer;
        this.acks = acks;
        this.metrics = metrics;
        this.config = props.ingest();
    }

    record IngestResult(int accepted, int rejected, List<IngestBatch.Rejected> errors) {}

    public Mono<ServerResponse> ingest(ServerRequest req) {
        long max = config.maxBodyBytes();
        long declared = req.headers().contentLength().orElse(-1);
        if (LimitedBody.refuseUnread(declared, max)) return Mono.error(tooLarge(max));
        boolean ndjson =
                req.headers().contentType().map(NDJSON::isCompatibleWith).orElse(false);
        return req.body(BodyExtractors.toDataBuffers())
                .collect(() -> new LimitedBody(max, () -> tooLarge(max)), LimitedBody::add)
                .publishOn(Schedulers.boundedElastic())
                .map(body -> IngestBatch.parse(body.bytes(), ndjson, System.currentTimeMillis()))
                .flatMap(this::produce)
                // on the request's reactor context, so the MDC carries its request and correlation ids
                .doOnNext(r -> log.debug("ingested {} logs, rejected {}", r.accepted(), r.rejected()))
                .flatMap(r -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(r));
    }

    private Mono<IngestResult> produce(IngestBatch batch) {
        int n = batch.accepted.size();
        IngestResult result = new IngestResult(n, batch.rejectedCount(), batch.rejected);
        if (n == 0) {
            metrics.ingested(0, batch.rejectedCount());
            return Mono.just(result);
        }
        Duration stalled = acks.stalledFor();
        if (stalled != null) return Mono.error(AckWatch.refusal(stalled));
        return Mono.<IngestResult>create(sink -> {
                    long deadline = System.nanoTime() + config.sendTimeout().toNanos();
                    Thread caller = Thread.currentThread();
                    AtomicInteger pending = new AtomicInteger(n);
                    AtomicInteger failed = new AtomicInteger();
                    boolean handedOver = false;
                    for (IngestBatch.Accepted a : batch.accepted) {
                        // Answered 503 already: hand over nothing more, or the rest would be produced once Kafka is
                        // back and the client's retry would count it twice.
                        if (failed.get() > 0) return;
                        boolean partial = handedOver;
                        while (true) {
                            // A record refused inside send (no metadata within max.block.ms, buffer full) never
                            // reached the producer. Once part of this request has (it will be produced when Kafka
                            // is back), the rest is sent again until the send timeout, so the request is produced
                            // whole or answered 503 with nothing of it produced.
                            boolean[] retry = {false};
                            Callback callback = acks.sending((md, e) -> {
                                if (e instanceof TimeoutException
                                        && partial
                                        && Thread.currentThread() == caller
                                        && System.nanoTime() < deadline) {
                                    retry[0] = true;
                                    return;
                                }
                                if (e != null && failed.getAndIncrement() == 0) {
                                    log.warn("Kafka did not acknowledge an ingested log: {}", e.toString());
                                    sink.error(ApiException.unavailable(
                                            "Kafka did not acknowledge the logs (" + e.getMessage()
                                                    + "); retry the request",
                                            null));
                                }
                                if (pending.decrementAndGet() == 0 && failed.get() == 0) {
                                    metrics.ingested(n, batch.rejectedCount());
                                    sink.success(result);
                                }
                            });
                            try {
                                producer.send(
                                        new ProducerRecord<>(Topics.LOGS.name(), a.service(), a.json()), callback);
                            } catch (RuntimeException e) { // not an ApiException (those go to the callback)
                                acks.notSent();
                                if (failed.getAndIncrement() == 0)
                                    sink.error(ApiException.unavailable(
                                            "Kafka is not accepting logs (" + e.getMessage() + "); retry the request",
                                            null));
                                return;
                            }
                            if (!retry[0]) break;
                        }
                        handedOver = true;
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static ApiException tooLarge(long max) {
        return ApiException.tooLarge(
                "request body exceeds the limit of " + max + " bytes (LOGFLOW_MAX_BODY_BYTES); send smaller batches");
    }
}
