package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class CoalescerTest {
    @Test
    void concurrentRequestsForTheSameKey_shareOneComputation_laterOnesComputeAgain() {
        Coalescer c = new Coalescer();
        AtomicInteger computations = new AtomicInteger();
        Sinks.One<String> gate = Sinks.one();
        Mono<String> first = c.join("k", () -> {
            computations.incrementAndGet();
            return gate.asMono();
        });
        Mono<String> second = c.join("k", () -> {
            computations.incrementAndGet();
            return Mono.just("other");
        });
        var a = first.toFuture();
        var b = second.toFuture();
        assertThat(c.inFlight()).isEqualTo(1);
        gate.tryEmitValue("answer");
        assertThat(a.join()).isEqualTo("answer");
        assertThat(b.join()).isEqualTo("answer");
        assertThat(computations).hasValue(1);
        assertThat(c.inFlight()).isZero();

        assertThat(c.join("k", () -> {
                            computations.incrementAndGet();
                            return Mono.just("fresh");
                        })
                        .block(Duration.ofSeconds(1)))
                .isEqualTo("fresh");
        assertThat(computations).hasValue(2);
    }

    @Test
    void errorsAreShared_butNotKept() {
        Coalescer c = new Coalescer();
        Mono<String> failing = c.join("k", () -> Mono.error(new IllegalStateException("boom")));
        assertThat(failing.onErrorResume(e -> Mono.just(e.getMessage())).block())
                .isEqualTo("boom");
        assertThat(c.join("k", () -> Mono.just("ok")).block()).isEqualTo("ok");
    }

    @Test
    void differentKeys_doNotShare() {
        Coalescer c = new Coalescer();
        assertThat(c.join("a", () -> Mono.just("1")).block()).isEqualTo("1");
        assertThat(c.join("b", () -> Mono.just("2")).block()).isEqualTo("2");
    }
}
