package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class CoalescerStressTest {
    @Test
    void manyConcurrentCallers_allGetAnAnswer() throws Exception {
        Coalescer c = new Coalescer();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        String v = c.join(
                                        "k",
                                        () -> Mono.fromCallable(() -> {
                                                    Thread.sleep(1);
                                                    return "v";
                                                })
                                                .subscribeOn(Schedulers.boundedElastic()))
                                .block(Duration.ofSeconds(5));
                        if (!"v".equals(v)) failures.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        assertThat(failures).hasValue(0);
    }
}
