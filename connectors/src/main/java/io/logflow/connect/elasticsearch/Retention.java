package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole daily indices that are past retention, by name ({@link IndexNames#expired}). Run periodically by
 * task 0 only; a failure (Elasticsearch down) is logged and the next run tries again.
 */
final class Retention implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What retention needs from Elasticsearch. */
    interface Indices {
        List<String> indices(String pattern) throws Exception;

        void delete(List<String> indices) throws Exception;
    }

    private final Indices es;
    private final List<IndexNames> kinds;
    private final int days;
    private final Clock clock;
    private final SinkMetrics metrics;

    Retention(Indices es, List<IndexNames> kinds, int days, Clock clock, SinkMetrics metrics) {
        this.es = requireNonNull(es, "es");
        this.kinds = List.copyOf(kinds);
        this.days = days;
        this.clock = requireNonNull(clock, "clock");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public void run() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (IndexNames kind : kinds) {
            try {
                List<String> expired = kind.expired(es.indices(kind.pattern()), today, days);
                if (expired.isEmpty()) continue;
                es.delete(expired);
                metrics.indicesDeleted.add(expired.size());
                log.info("Deleted {} daily indices older than {} days: {}", expired.size(), days, expired);
            } catch (Exception e) {
                log.warn(
                        "Could not delete the {} indices past retention ({}: {}); trying again later",
                        kind.pattern(),
                        e.getClass().getSimpleName(),
                        e.getMessage());
            }
        }
    }
}
