package io.logflow.connect.elasticsearch;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which offsets may be committed: those of records that are done (acknowledged by Elasticsearch, or written to the
 * dead-letter queue, or skipped), and only up to the first one that is not, per partition. Acknowledgements may
 * come in any order (bulk requests overlap, retried documents come back later); the committable offset only moves
 * past a record once every record received before it on its partition is done too.
 *
 * <p>"Before" is the order records were received in, not offset + 1: with {@code read_committed}, transaction
 * markers and aborted records leave gaps in the offsets of a partition.
 *
 * <p>Used by the task's thread only; {@link Ticket}s are completed from any thread.
 */
final class Offsets {
    private static final Logger log = LoggerFactory.getLogger(Offsets.class);

    /** One received record, until it is done. */
    static final class Ticket {
        final TopicPartition partition;
        final long offset;
        private volatile boolean done;
        private volatile Future<?> deadLetter;

        Ticket(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        /** Indexed, or given up on by decision (no dead-letter queue): the offset may pass it. */
        void done() {
            done = true;
        }

        /** Sent to the dead-letter queue: done when that write is. */
        void doneWhen(Future<?> deadLetterWrite) {
            deadLetter = deadLetterWrite;
        }

        boolean isDone() {
            if (done) return true;
            Future<?> f = deadLetter;
            if (f == null || !f.isDone()) return false;
            try {
                f.get();
            } catch (ExecutionException | CancellationException e) {
                log.error(
                        "Could not write the record at {}-{} offset {} to the dead-letter queue; it is skipped",
                        partition.topic(),
                        partition.partition(),
                        offset,
                        e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            done = true;
            return true;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Ticket>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> committable = new HashMap<>();

    /** Registers a record as received; its ticket is completed once the record is done. */
    Ticket track(TopicPartition partition, long offset) {
        Ticket t = new Ticket(partition, offset);
        pending.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(t);
        return t;
    }

    /**
     * For each partition that has any, the offset to commit: one past the last record of the longest run of done
     * records from the start of what was received. Partitions with nothing done yet are left out.
     */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        for (Map.Entry<TopicPartition, ArrayDeque<Ticket>> e : pending.entrySet()) {
            ArrayDeque<Ticket> tickets = e.getValue();
            Ticket last = null;
            while (!tickets.isEmpty() && tickets.peekFirst().isDone()) last = tickets.pollFirst();
            if (last != null) committable.put(e.getKey(), last.offset + 1);
        }
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        committable.forEach((tp, offset) -> result.put(tp, new OffsetAndMetadata(offset)));
        return result;
    }

    /** Records received and not yet committable, over all partitions. */
    int pendingCount() {
        int n = 0;
        for (ArrayDeque<Ticket> tickets : pending.values()) n += tickets.size();
        return n;
    }

    /**
     * Forgets partitions the task no longer owns: their records will be delivered again, from the last committed
     * offset, to whichever task gets them.
     */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            pending.remove(tp);
            committable.remove(tp);
        }
    }
}
