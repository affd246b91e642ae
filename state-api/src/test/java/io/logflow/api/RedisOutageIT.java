package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logflow.api.cache.AnswerCache;
import io.logflow.infra.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Redis is never needed (issue 17 §4): a server started before its Redis answers every request (uncached), says
 * {@code DEGRADED} in {@code /health} and counts the errors; once Redis answers it is used, without a restart; Redis
 * killed mid-test changes nothing but that; back on the same port, it is used again. Its own {@code redis-server}
 * (found on the PATH; the test is skipped without one), started and killed by the test.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String APP = "redis-outage-it-" + SUFFIX;
    static final String SERVICE = "outage-" + SUFFIX;
    static final String OVERVIEW = "/api/v1/metrics/overview?minutes=15";
    static final String SERIES = "/api/v1/metrics/timeseries?interval=1m&service=" + SERVICE;

    @TempDir
    Path tmp;

    @Test
    void redisAbsent_thenUp_thenKilled_thenBack_everyAnswerIs200_andTheCacheIsUsedWheneverRedisAnswers(
            CapturedOutput output) throws Exception {
        Path server = redisServer();
        assumeTrue(server != null, "no redis-server on the PATH: this test starts and kills its own Redis");
        int port = ChildProcesses.freePort();
        String where = "Redis at 127.0.0.1:" + port;
        Process redis = null;
        try (Instance app = Instance.start(APP, Map.of("logflow.cache.url", "redis://127.0.0.1:" + port))
                .awaitHealthy()) {
            app.ingest(List.of(LogFlowApiIT.log(SERVICE, "INFO", "hello", null, System.currentTimeMillis() - 1000)));
            Awaitility.await("the log in the overview")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> app.get(OVERVIEW).body().contains(SERVICE));

            // no Redis yet: every answer computed, /health DEGRADED but 200, the errors counted
            answeredUncached(app);
            assertDegraded(app);
            long errorsWithoutRedis = errors(app);
            assertThat(errorsWithoutRedis).isPositive();
            assertThat(app.get("/api/v1/cache/stats").json().get("redis").asString())
                    .isEqualTo("down");

            // Redis starts: used from then on, no restart
            redis = startRedis(server, port, tmp.resolve("redis-1.log"));
            awaitHit(app);
            JsonNode up = app.get("/health").json();
            assertThat(up.get("cache").get("status").asString()).isEqualTo("UP");
            assertThat(up.get("status").asString()).isEqualTo("UP");

            // Redis killed mid-test: answers keep coming, uncached
            redis.destroyForcibly().waitFor();
            long errorsBefore = errors(app);
            answeredUncached(app);
            assertDegraded(app);
            long errorsAfter = errors(app);
            assertThat(errorsAfter).isGreaterThan(errorsBefore);
            assertThat(prometheusErrors(app)).isGreaterThanOrEqualTo(errorsAfter);

            // back on the same port: used again, no restart
            redis = startRedis(server, port, tmp.resolve("redis-2.log"));
            awaitHit(app);
            assertThat(app.get("/health").json().get("cache").get("status").asString())
                    .isEqualTo("UP");
        } finally {
            if (redis != null) redis.destroyForcibly().waitFor();
        }
        // one line when Redis went away and one when it came back, per outage: not one per request
        assertThat(count(output.getAll(), where + " does not answer")).isEqualTo(2);
        assertThat(count(output.getAll(), where + " answers again")).isEqualTo(2);
    }

    /** Cached endpoints answer 200, computed (a miss), each within 2 s whatever Redis does (it waits 100 ms). */
    static void answeredUncached(Instance app) {
        for (int i = 0; i < 5; i++) {
            for (String path : List.of(OVERVIEW, SERIES)) {
                long start = System.nanoTime();
                Instance.Response r = app.get(path);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
                assertThat(r.header(AnswerCache.HEADER)).as(path).isEqualTo("miss");
                assertThat(ms).as(path + " answered in ms").isLessThan(2000);
            }
        }
    }

    static void assertDegraded(Instance app) {
        Instance.Response health = app.get("/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.json().get("cache").get("status").asString()).isEqualTo("DOWN");
    }

    static void awaitHit(Instance app) {
        Awaitility.await("answers read from Redis")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> app.get(OVERVIEW).header(AnswerCache.HEADER), "hit"::equals);
    }

    static long errors(Instance app) {
        return app.get("/api/v1/cache/stats").json().get("errors").asLong();
    }

    /** The sum of {@code logflow_cache_errors_total} over its operations. */
    static double prometheusErrors(Instance app) {
        Matcher m = Pattern.compile("(?m)^logflow_cache_errors_total\\{[^}]*} (\\S+)$")
                .matcher(app.get("/actuator/prometheus").body());
        double sum = 0;
        while (m.find()) sum += Double.parseDouble(m.group(1));
        return sum;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** {@code redis-server} on the PATH, or null. */
    static Path redisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** A Redis on {@code port} keeping nothing on disk, once it answers PING. */
    static Process startRedis(Path server, int port, Path log) throws IOException {
        Process p = new ProcessBuilder(
                        server.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Awaitility.await("redis-server on " + port)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!p.isAlive()) throw new IllegalStateException(ChildProcesses.tail(log, 20));
                    return pong(port);
                });
        return p;
    }

    static boolean pong(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }
}
