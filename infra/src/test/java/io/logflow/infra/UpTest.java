package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpTest {
    @Test
    void redisChoice_aSetRedisUrlWins_evenEmpty() {
        Up.RedisChoice given = Up.redisChoice("redis://:pw@cache:6380", 6379, LocalRedis.Probe.ANSWERS);
        assertThat(given.startLocal()).isFalse();
        assertThat(given.url()).isEqualTo("redis://:pw@cache:6380");
        assertThat(given.why()).doesNotContain("pw").contains("REDIS_URL");

        Up.RedisChoice off = Up.redisChoice("", 6379, LocalRedis.Probe.ANSWERS);
        assertThat(off.startLocal()).isFalse();
        assertThat(off.url()).isEmpty();
    }

    @Test
    void redisChoice_unset_usesTheRedisThatAnswersOn6379() {
        Up.RedisChoice c = Up.redisChoice(null, 6379, LocalRedis.Probe.ANSWERS);
        assertThat(c.startLocal()).isFalse();
        assertThat(c.url()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void redisChoice_unset_startsALocalOne_whenNoUsableRedisAnswers() {
        for (LocalRedis.Probe p : new LocalRedis.Probe[] {
            LocalRedis.Probe.NOTHING, LocalRedis.Probe.NOT_REDIS, LocalRedis.Probe.NEEDS_PASSWORD
        }) {
            Up.RedisChoice c = Up.redisChoice(null, 6379, p);
            assertThat(c.startLocal()).as("%s", p).isTrue();
            assertThat(c.url()).isNull();
            // on the port when nothing is there, else on a free one
            assertThat(c.localPort()).as("%s", p).isEqualTo(p == LocalRedis.Probe.NOTHING ? 6379 : 0);
        }
        assertThat(Up.redisChoice(null, 6379, LocalRedis.Probe.NEEDS_PASSWORD).why())
                .contains("REDIS_URL");
    }

    @Test
    void redact_hidesTheRedisPassword() {
        assertThat(Up.redact("redis://:secret@127.0.0.1:1234")).isEqualTo("redis://***@127.0.0.1:1234");
    }

    @Test
    void ingestAdvice_saysHowToMakeATokenByHand_whenTheLoginIsRefused() {
        java.nio.file.Path file = java.nio.file.Path.of(".logflow", "ingest-token");
        String refused = Up.ingestAdvice(
                new LocalAccess.AccessException(LocalAccess.Step.LOGIN, 401, "login as admin: HTTP 401"), file);
        assertThat(refused).contains("password", "admin page", file.toString(), "LOGFLOW_ADMIN_PASSWORD");
        String noRoute =
                Up.ingestAdvice(new LocalAccess.AccessException(LocalAccess.Step.CREATE_TOKEN, 404, "HTTP 404"), file);
        assertThat(noRoute).contains("no ingest tokens");
    }
}
