package io.logflow.api.ingest;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Whether Kafka is acknowledging the ingest producer's records. It is stalled while records are waiting for
 * their acknowledgement and none has come for {@code logflow.ingest.stall-timeout} (the broker gone, no leader):
 * ingest then answers 503 with Retry-After at once, without handing the request's records to the producer, so a
 * refused request is certain to have written nothing and the client's retry counts nothing twice. Requests whose
 * records were already handed over keep waiting for their outcome (up to the send timeout): the producer retries
 * them, idempotently, once Kafka is back. The first acknowledgement ends the stall; when nothing is waiting any more
 * (the waiting records expired), the next request is let through to find out.
 */
@Component
final class AckWatch {
    private final long stallNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger waiting = new AtomicInteger();
    /** nanoTime of the last acknowledgement, or of the first send after nothing was waiting, whichever is later. */
    private volatile long progressAt;

    @Autowired
    AckWatch(LogFlowProperties props) {
        this(props.ingest().stallTimeout(), System::nanoTime);
    }

    AckWatch(Duration stallTimeout, LongSupplier nanoClock) {
        this.stallNanos = stallTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.progressAt = nanoClock.getAsLong();
    }

    /** Call just before {@code producer.send}: returns the callback to pass, which records the outcome. */
    Callback sending(Callback callback) {
        if (waiting.getAndIncrement() == 0) progressAt = nanoClock.getAsLong();
        return (metadata, exception) -> {
            if (exception == null) progressAt = nanoClock.getAsLong();
            waiting.decrementAndGet();
            callback.onCompletion(metadata, exception);
        };
    }

    /** Call when {@code producer.send} threw after {@link #sending}: its callback will never run. */
    void notSent() {
        waiting.decrementAndGet();
    }

    /** How long records have been waiting with no acknowledgement, if that is longer than the stall timeout. */
    Duration stalledFor() {
        if (waiting.get() == 0) return null;
        long silent = nanoClock.getAsLong() - progressAt;
        return silent > stallNanos ? Duration.ofNanos(silent) : null;
    }

    /** The 503 for a request refused while stalled. */
    static ApiException refusal(Duration stalled) {
        return ApiException.unavailable(
                "Kafka has acknowledged nothing for " + stalled.toSeconds()
                        + " s; nothing of this request was produced: retry it",
                null);
    }
}
