package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("logflow.logs", 0);
    private static final TopicPartition P1 = new TopicPartition("logflow.logs", 1);

    private final Offsets offsets = new Offsets();

    private static Map<TopicPartition, OffsetAndMetadata> commit(TopicPartition tp, long offset) {
        return Map.of(tp, new OffsetAndMetadata(offset));
    }

    @Test
    void nothingIsCommittable_beforeAnyRecordIsDone() {
        offsets.track(P0, 0);
        offsets.track(P0, 1);
        assertThat(offsets.committable()).isEmpty();
    }

    @Test
    void inOrderAcks_commitOnePastTheLastDone() {
        Offsets.Ticket a = offsets.track(P0, 0);
        Offsets.Ticket b = offsets.track(P0, 1);
        offsets.track(P0, 2);
        a.done();
        assertThat(offsets.committable()).isEqualTo(commit(P0, 1));
        b.done();
        assertThat(offsets.committable()).isEqualTo(commit(P0, 2));
        assertThat(offsets.pendingCount()).isEqualTo(1);
    }

    @Test
    void outOfOrderAcks_holdTheOffsetAtTheFirstRecordNotDone() {
        Offsets.Ticket a = offsets.track(P0, 10);
        Offsets.Ticket b = offsets.track(P0, 11);
        Offsets.Ticket c = offsets.track(P0, 12);
        c.done();
        b.done();
        assertThat(offsets.committable()).isEmpty();
        a.done();
        assertThat(offsets.committable()).isEqualTo(commit(P0, 13));
        assertThat(offsets.pendingCount()).isZero();
    }

    @Test
    void gapsInOffsets_areNotWaitedFor() {
        // read_committed: transaction markers and aborted records leave offsets that are never delivered
        Offsets.Ticket a = offsets.track(P0, 3);
        Offsets.Ticket b = offsets.track(P0, 7);
        Offsets.Ticket c = offsets.track(P0, 8);
        a.done();
        c.done();
        assertThat(offsets.committable()).isEqualTo(commit(P0, 4));
        b.done();
        assertThat(offsets.committable()).isEqualTo(commit(P0, 9));
    }

    @Test
    void partitions_advanceIndependently_andKeepTheirLastCommittableOffset() {
        Offsets.Ticket p0 = offsets.track(P0, 0);
        offsets.track(P0, 1);
        Offsets.Ticket p1 = offsets.track(P1, 100);
        p1.done();
        assertThat(offsets.committable()).isEqualTo(commit(P1, 101));
        p0.done();
        assertThat(offsets.committable())
                .containsOnly(Map.entry(P0, new OffsetAndMetadata(1)), Map.entry(P1, new OffsetAndMetadata(101)));
    }

    @Test
    void deadLetteredRecord_isDoneOnceItsDeadLetterWriteIs_evenIfThatFailed() {
        Offsets.Ticket a = offsets.track(P0, 0);
        Offsets.Ticket b = offsets.track(P0, 1);
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        a.doneWhen(written);
        b.doneWhen(failed);
        assertThat(offsets.committable()).isEmpty();
        written.complete(null);
        assertThat(offsets.committable()).isEqualTo(commit(P0, 1));
        failed.completeExceptionally(new IllegalStateException("dlq topic gone"));
        assertThat(offsets.committable()).isEqualTo(commit(P0, 2));
    }

    @Test
    void forgottenPartitions_areNoLongerCommitted() {
        offsets.track(P0, 0).done();
        offsets.track(P1, 0).done();
        offsets.track(P1, 1);
        offsets.forget(List.of(P1));
        assertThat(offsets.committable()).isEqualTo(commit(P0, 1));
        assertThat(offsets.pendingCount()).isZero();
        // the partition comes back: its records are delivered again, tracked afresh
        offsets.track(P1, 1).done();
        assertThat(offsets.committable()).containsEntry(P1, new OffsetAndMetadata(2));
    }
}
