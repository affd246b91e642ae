package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRedisIT {
    @TempDir
    Path dir;

    @Test
    void startsARealRedis_onLoopback_withAPassword_andStopsIt() throws Exception {
        LocalRedis redis =
                LocalRedis.start(dir.resolve("redis"), 0, dir.resolve("logs").resolve("redis.log"));
        int port = redis.port();
        try {
            // it answers, but not without the password in its URL
            assertThat(LocalRedis.probe("127.0.0.1", port, Duration.ofSeconds(1)))
                    .isEqualTo(LocalRedis.Probe.NEEDS_PASSWORD);
            assertThat(redis.url()).matches("redis://:[0-9a-f]{40}@127\\.0\\.0\\.1:" + port);
            Path config = dir.resolve("redis").resolve("redis.conf");
            assertThat(Files.readString(config)).contains("bind 127.0.0.1", "save \"\"", "requirepass ");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                    .isEqualTo("rw-------");
        } finally {
            redis.close();
        }
        assertThat(LocalRedis.probe("127.0.0.1", port, Duration.ofSeconds(1))).isEqualTo(LocalRedis.Probe.NOTHING);
    }

    @Test
    void classify_readsTheFirstLineOfAPingAnswer() {
        assertThat(LocalRedis.classify("+PONG")).isEqualTo(LocalRedis.Probe.ANSWERS);
        assertThat(LocalRedis.classify("-NOAUTH Authentication required.")).isEqualTo(LocalRedis.Probe.NEEDS_PASSWORD);
        assertThat(LocalRedis.classify("HTTP/1.1 400 Bad Request")).isEqualTo(LocalRedis.Probe.NOT_REDIS);
        assertThat(LocalRedis.classify(null)).isEqualTo(LocalRedis.Probe.NOT_REDIS);
    }
}
