package io.logflow.api.db;

import io.logflow.api.web.DependencyDown;
import org.springframework.stereotype.Component;

/** PostgreSQL down ({@link Database#unavailable}): a 503 of the routes that need it. */
@Component
class PostgresDown implements DependencyDown {
    @Override
    public String describe(Throwable e) {
        return Database.unavailable(e)
                ? "PostgreSQL (users, tokens, alert rules and history) is unavailable: " + Database.rootMessage(e)
                : null;
    }
}
