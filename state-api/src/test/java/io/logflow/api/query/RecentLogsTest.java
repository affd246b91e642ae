package io.logflow.api.query;

import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.asQuery;
import static io.logflow.api.TestObjects.query;
import static io.logflow.api.web.BadParameters.assertBadParameter;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.query.RecentLogs.Request;
import io.logflow.model.Level;
import org.junit.jupiter.api.Test;

class RecentLogsTest {
    @Test
    void request_defaultsToEveryServiceAndLevel_andAHundredLogs() {
        assertThat(Request.parse(query())).isEqualTo(new Request(null, null, 100));
        assertThat(Request.parse(query("service", " orders ", "level", "warning", "limit", "1000")))
                .isEqualTo(new Request(ORDERS, Level.WARN, 1000));
    }

    @Test
    void request_is400NamingTheParameter_whenMalformed() {
        assertBadParameter(() -> Request.parse(query("limit", "0")), "limit");
        assertBadParameter(() -> Request.parse(query("limit", "1001")), "limit");
        assertBadParameter(() -> Request.parse(query("level", "loud")), "level");
        assertBadParameter(() -> Request.parse(query("service", "s".repeat(300))), "service");
    }

    @Test
    void request_isParsedBackFromItsQuery() {
        for (Request r : new Request[] {
            new Request(ORDERS, Level.ERROR, 7), new Request(null, null, 100), new Request(null, Level.TRACE, 1)
        }) {
            assertThat(Request.parse(asQuery(r.query()))).isEqualTo(r);
        }
    }
}
