package io.logflow.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class DatabaseTest {
    @Test
    void unavailable_whenPostgresCannotBeReachedOrIsShuttingDown() {
        assertThat(Database.unavailable(new DataAccessResourceFailureException(
                        "Failed to obtain R2DBC Connection",
                        new R2dbcNonTransientResourceException(
                                "Cannot connect", "08003", 0, new ConnectException("Connection refused")))))
                .isTrue();
        assertThat(Database.unavailable(new R2dbcTimeoutException("acquire timed out")))
                .isTrue();
        assertThat(Database.unavailable(new IllegalStateException(
                        new R2dbcBadGrammarException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
    }

    @Test
    void notUnavailable_forABadStatementOrAnotherError() {
        assertThat(Database.unavailable(new R2dbcBadGrammarException("syntax error", "42601")))
                .isFalse();
        assertThat(Database.unavailable(new R2dbcDataIntegrityViolationException("duplicate key", "23505")))
                .isFalse();
        assertThat(Database.unavailable(new IllegalStateException("boom"))).isFalse();
    }
}
