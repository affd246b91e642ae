package io.logflow.api.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How current this instance's local copies of the store partitions are: the state generation (it changes with every
 * Kafka Streams state change, and whenever a local copy starts or ends restoring), the partitions restoring here, and
 * Kafka Streams' lag of each copy behind its changelog. {@link LocalReads} notes a partition read from anything but
 * its current active task as stale, with this lag; {@link StoreMetadata} keeps its placements for one generation.
 * Knows no client of its own: {@link StreamsRuntime} attaches each client it creates, and passes its state changes.
 */
@Component
final class Freshness {
    /** The lag of a replica Kafka Streams does not know the position of yet. */
    static final long UNKNOWN_LAG = -1;

    static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    // logged as before this class was split out of StreamsRuntime
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final AtomicLong generation = new AtomicLong();

    /** The store partitions whose active task here is restoring from its changelog ({@code store#partition}). */
    private final Set<String> restoring = ConcurrentHashMap.newKeySet();

    private volatile LagSnapshot lags;

    private record LagSnapshot(long at, long generation, Map<String, Map<Integer, LagInfo>> lags) {}

    /**
     * Follows the restoring of a new client's local copies (before it starts): a new client restores what it needs
     * again.
     */
    void attach(KafkaStreams ks) {
        restoring.clear();
        ks.setGlobalStateRestoreListener(restoreListener);
        ks.setStandbyUpdateListener(standbyListener);
    }

    /** Kafka Streams changed state: the assignment may change with every state change. */
    void clientStateChanged() {
        generation.incrementAndGet();
    }

    /** The state generation now: it changes with every Kafka Streams state change. */
    long generation() {
        return generation.get();
    }

    private static String restoringKey(String store, int partition) {
        return store + "#" + partition;
    }

    private final StateRestoreListener restoreListener = new StateRestoreListener() {
        @Override
        public void onRestoreStart(TopicPartition changelog, String store, long start, long end) {
            restoring.add(restoringKey(store, changelog.partition()));
            localStateChanged();
        }

        @Override
        public void onBatchRestored(TopicPartition changelog, String store, long batchEnd, long n) {}

        @Override
        public void onRestoreEnd(TopicPartition changelog, String store, long total) {
            restoring.remove(restoringKey(store, changelog.partition()));
            localStateChanged();
        }

        @Override
        public void onRestoreSuspended(TopicPartition changelog, String store, long total) {
            restoring.remove(restoringKey(store, changelog.partition()));
            localStateChanged();
        }
    };

    /** Standby copies (re)starting or stopping to follow their changelog: see {@link #localStateChanged}. */
    private final StandbyUpdateListener standbyListener = new StandbyUpdateListener() {
        @Override
        public void onUpdateStart(TopicPartition changelog, String store, long start) {
            localStateChanged();
        }

        @Override
        public void onBatchLoaded(
                TopicPartition changelog, String store, TaskId task, long batchEnd, long n, long end) {}

        @Override
        public void onUpdateSuspended(
                TopicPartition changelog, String store, long offset, long end, SuspendReason reason) {
            localStateChanged();
        }
    };

    /**
     * A local copy of a store started or ended restoring, or a standby started or stopped following its changelog —
     * without a Kafka Streams state change when a task is found corrupted and re-initialised (wiped and restored from
     * scratch, seen after kill -9 under exactly-once). Counted as a new state generation: lags taken before are not
     * used again, and a read across it is noted stale with an unknown lag.
     */
    private void localStateChanged() {
        generation.incrementAndGet();
    }

    /**
     * Whether a partition read as current (see {@link LocalReads}) still is once the read is done: no state change
     * (a rebalance goes through REBALANCING) since {@code since}, and still the running active task here. A task
     * moved or re-initialised while it was read may have been read half-restored.
     *
     * @param ks this instance's client now, null when there is none
     */
    <T> boolean stillCurrent(KafkaStreams ks, String name, QueryableStoreType<T> type, int partition, long since) {
        return ks != null && generation.get() == since && current(ks, name, type, partition);
    }

    /**
     * How many records this instance's replica of a store partition is behind its changelog; -1 while Kafka Streams
     * does not know yet (a replica assigned since the last look, or not yet initialised). Asked
     * of the broker at most once a second ({@link KafkaStreams#allLocalStorePartitionLags()} lists end offsets).
     */
    long lagOf(KafkaStreams ks, String store, int partition) {
        var info = lags(ks).getOrDefault(store, Map.of()).get(partition);
        return info == null ? UNKNOWN_LAG : info.offsetLag();
    }

    /**
     * {@link KafkaStreams#allLocalStorePartitionLags}, at most {@link #LAG_REFRESH} old and taken in the current state
     * generation (a rebalance may have replaced the tasks it describes).
     */
    private Map<String, Map<Integer, LagInfo>> lags(KafkaStreams ks) {
        LagSnapshot snap = lags;
        long now = System.nanoTime();
        long gen = generation.get();
        if (snap == null || snap.generation != gen || now - snap.at > LAG_REFRESH.toNanos()) {
            try {
                snap = new LagSnapshot(now, gen, ks.allLocalStorePartitionLags());
            } catch (RuntimeException e) {
                log.debug("store lags unavailable: {}", e.toString());
                snap = new LagSnapshot(now, gen, Map.of());
            }
            lags = snap;
        }
        return snap.lags;
    }

    /**
     * Whether this partition's store here is its active task, restored and running: what Kafka Streams serves without
     * {@code enableStaleStores}. The handle read is still the stale-store one, which stays valid if a rebalance starts
     * during the read; this is only the check.
     */
    <T> boolean current(KafkaStreams ks, String name, QueryableStoreType<T> type, int partition) {
        if (restoring.contains(restoringKey(name, partition))) return false;
        try {
            ks.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
        } catch (InvalidStateStoreException notCurrent) {
            return false;
        }
        // and Kafka Streams' own lag (0 for a running active task) agrees: a task assigned since it was last read,
        // or still behind its changelog, is not current
        var info = lags(ks).getOrDefault(name, Map.of()).get(partition);
        return info != null && info.offsetLag() == 0;
    }
}
