package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token format, the refusals that need no lookup, and the once-a-minute last-use write. */
class IngestTokensTest {
    static final Duration T = Duration.ofSeconds(5);

    @Test
    void aToken_isLfAnd32RandomBytesInBase64url_andWellFormed() {
        String token = IngestTokens.generate();
        assertThat(token).startsWith("lf_").hasSize(46).matches("lf_[A-Za-z0-9_-]{43}");
        assertThat(IngestTokens.wellFormed(token)).isTrue();
        assertThat(IngestTokens.generate()).isNotEqualTo(token);
        assertThat(IngestTokens.hash(token)).hasSize(32).isEqualTo(IngestTokens.hash(token));
    }

    @Test
    void malformedTokens_areRefused_withoutALookup() {
        // no database at all: a lookup would fail
        IngestTokens tokens = new IngestTokens(null, System::nanoTime);
        String good = IngestTokens.generate();
        for (String bad : new String[] {
            null,
            "",
            "lf_",
            good.substring(3),
            "xx_" + good.substring(3),
            good + "A",
            good.substring(0, 45),
            good.substring(0, 45) + "=",
            good.substring(0, 45) + "+",
            "Bearer " + good
        }) {
            assertThat(IngestTokens.wellFormed(bad)).as(bad).isFalse();
            assertThat(tokens.verify(bad).block(T)).as(bad).isNull();
        }
    }

    @Test
    void theLastUse_isWrittenAtMostOnceAMinutePerToken() {
        AtomicLong now = new AtomicLong(1_000);
        IngestTokens tokens = new IngestTokens(null, now::get);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(tokens.dueForLastUsed(a)).isTrue();
        assertThat(tokens.dueForLastUsed(a)).isFalse();
        assertThat(tokens.dueForLastUsed(b)).isTrue();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(tokens.dueForLastUsed(a)).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(tokens.dueForLastUsed(a)).isTrue();
        assertThat(tokens.dueForLastUsed(a)).isFalse();
    }

    @Test
    void names() {
        assertThat(IngestTokens.nameProblem("demo agent")).isNull();
        assertThat(IngestTokens.nameProblem(" ")).isEqualTo("is required");
        assertThat(IngestTokens.nameProblem(null)).isEqualTo("is required");
        assertThat(IngestTokens.nameProblem("x".repeat(65))).isEqualTo("must be at most 64 characters");
        assertThat(IngestTokens.nameProblem("line\nbreak")).isEqualTo("must not contain control characters");
    }

    @Test
    void anIssuedToken_doesNotPrintItsSecret() {
        var issued =
                new IngestTokens.Issued(UUID.randomUUID(), "demo", IngestTokens.generate(), java.time.Instant.now());
        assertThat(issued.toString()).doesNotContain(issued.token());
    }
}
