package io.logflow.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AckWatchTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AckWatch acks = new AckWatch(Duration.ofSeconds(5), now::get);
    final Callback nothing = (md, e) -> {};

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void isNeverStalled_whileNothingWaits() {
        advance(Duration.ofMinutes(10));
        assertThat(acks.stalledFor()).isNull();
    }

    @Test
    void isStalled_whenRecordsWaitLongerThanTheTimeoutWithNoAcknowledgement() {
        advance(Duration.ofMinutes(10)); // idle before: the wait counts from the send
        acks.sending(nothing);
        advance(Duration.ofSeconds(5));
        assertThat(acks.stalledFor()).isNull();
        advance(Duration.ofSeconds(1));
        assertThat(acks.stalledFor()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void anAcknowledgementEndsTheStall_evenWithOtherRecordsStillWaiting() {
        Callback first = acks.sending(nothing);
        acks.sending(nothing);
        advance(Duration.ofSeconds(20));
        assertThat(acks.stalledFor()).isNotNull();
        first.onCompletion(null, null);
        assertThat(acks.stalledFor()).isNull();
        advance(Duration.ofSeconds(6));
        assertThat(acks.stalledFor()).isNotNull(); // the other one still waits, nothing acknowledged since
    }

    @Test
    void expiredRecordsEndTheStall_soTheNextRequestFindsOutAgain() {
        Callback expiring = acks.sending(nothing);
        advance(Duration.ofSeconds(30));
        assertThat(acks.stalledFor()).isNotNull();
        expiring.onCompletion(null, new TimeoutException("expired"));
        assertThat(acks.stalledFor()).isNull();
        acks.sending(nothing);
        advance(Duration.ofSeconds(6));
        assertThat(acks.stalledFor()).isNotNull();
    }

    @Test
    void aSendThatThrew_isNotWaitedFor() {
        acks.sending(nothing);
        acks.notSent();
        advance(Duration.ofSeconds(60));
        assertThat(acks.stalledFor()).isNull();
    }

    @Test
    void passesTheOutcomeOn() {
        AtomicLong seen = new AtomicLong();
        acks.sending((md, e) -> seen.incrementAndGet()).onCompletion(null, new TimeoutException("x"));
        assertThat(seen).hasValue(1);
    }
}
