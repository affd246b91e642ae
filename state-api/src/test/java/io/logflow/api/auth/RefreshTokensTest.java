package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.auth.RefreshTokens.Decision;
import io.logflow.api.auth.RefreshTokens.Stored;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure part of refresh-token rotation: why a token that could not be taken is refused, and the token form. */
class RefreshTokensTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final UUID FAMILY = UUID.fromString("00000000-0000-0000-0000-0000000000f1");

    @Test
    void anUnknownToken_isUnknown() {
        assertThat(RefreshTokens.decide(null, NOW)).isEqualTo(Decision.UNKNOWN);
    }

    @Test
    void aRevokedToken_isAReuse_expiredOrNot() {
        assertThat(RefreshTokens.decide(new Stored(FAMILY, NOW.plusSeconds(60), NOW.minusSeconds(5)), NOW))
                .isEqualTo(Decision.REUSED);
        assertThat(RefreshTokens.decide(new Stored(FAMILY, NOW.minusSeconds(60), NOW.minusSeconds(90)), NOW))
                .isEqualTo(Decision.REUSED);
    }

    @Test
    void anExpiredToken_isExpired() {
        assertThat(RefreshTokens.decide(new Stored(FAMILY, NOW.minusSeconds(1), null), NOW))
                .isEqualTo(Decision.EXPIRED);
        assertThat(RefreshTokens.decide(new Stored(FAMILY, NOW, null), NOW)).isEqualTo(Decision.EXPIRED);
    }

    @Test
    void aCurrentTokenThatAnotherRequestTookFirst_isAReuse() {
        assertThat(RefreshTokens.decide(new Stored(FAMILY, NOW.plusSeconds(60), null), NOW))
                .isEqualTo(Decision.REUSED);
    }

    @Test
    void tokensAre32RandomBytesInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String t = RefreshTokens.generate();
            assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
            seen.add(t);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void theStoredFormIsTheSha256OfTheToken() {
        String t = RefreshTokens.generate();
        assertThat(RefreshTokens.hash(t)).hasSize(32).isEqualTo(RefreshTokens.hash(t));
        assertThat(RefreshTokens.hash(t)).isNotEqualTo(RefreshTokens.hash(RefreshTokens.generate()));
    }
}
