package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.cluster.StreamsRuntime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When this instance's Kafka Streams is not RUNNING, queries are 503 problems with Retry-After, never partial or 500.
 */
class NotReadyIT {
    static Instance app;

    @BeforeAll
    static void startThenStopStreams() {
        app = Instance.start(
                        "not-ready-it-"
                                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL),
                        Map.of())
                .awaitHealthy();
        app.bean(StreamsRuntime.class).stop();
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void queries_are503WithRetryAfter() {
        for (String path : List.of(
                "/api/v1/services",
                "/api/v1/metrics/overview",
                "/api/v1/metrics/service/checkout",
                "/api/v1/metrics/timeseries",
                "/api/v1/logs/recent",
                "/api/v1/logs/recent?service=checkout",
                "/api/v1/logs/trace/4bf92f3577b34da6a3ce929d0e0e4736",
                "/internal/v1/services")) {
            Instance.Response r = app.get(path);
            assertThat(r.status()).as(path).isEqualTo(503);
            assertThat(r.header("Retry-After")).as(path).isEqualTo("5");
            assertThat(r.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).as(path).contains("NOT_RUNNING");
        }
    }

    @Test
    void badInput_isStill400_notReadyOrNot() {
        assertThat(app.get("/api/v1/metrics/overview?minutes=-1").status()).isEqualTo(400);
    }

    @Test
    void health_is503_namingTheStreamsState() {
        Instance.Response r = app.get("/health");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(r.json().get("streams").get("state").asString()).isEqualTo("NOT_RUNNING");
        // stopped on purpose: no failure to report, nothing restarted
        assertThat(r.json().get("streams").has("reason")).isFalse();
        assertThat(r.json().get("streams").get("restarts").asInt()).isZero();
        assertThat(app.get("/actuator/health").status()).isEqualTo(503);
    }
}
