package io.logflow.model;

import static io.logflow.model.TestObjects.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceQueryTest {
    /** Starts at T0 + 123 ms, lasts 250 ms, has errors; see {@link TraceSummaryTest#CHECKOUT}. */
    private static final TraceSummary S = TraceSummaryTest.CHECKOUT;

    private static TraceQuery q(
            String service, String operation, Long min, Long max, Boolean error, Map<String, String> tags) {
        return new TraceQuery(service, operation, min, max, error, tags, T0, T0 + 1000);
    }

    @Test
    void nullCriteriaMatchAnyTrace() {
        assertThat(q(null, null, null, null, null, null).matches(S)).isTrue();
        assertThat(q(null, null, null, null, null, Map.of()).matches(S)).isTrue();
    }

    @Test
    void startMustBeWithinTheRange_inclusive() {
        assertThat(new TraceQuery(null, null, null, null, null, null, T0 + 123, T0 + 123).matches(S))
                .isTrue();
        assertThat(new TraceQuery(null, null, null, null, null, null, T0 + 124, T0 + 2000).matches(S))
                .isFalse();
        assertThat(new TraceQuery(null, null, null, null, null, null, T0, T0 + 122).matches(S))
                .isFalse();
    }

    @Test
    void service_isAnyServiceOfTheTrace() {
        assertThat(q("payments", null, null, null, null, null).matches(S)).isTrue();
        assertThat(q("mailer", null, null, null, null, null).matches(S)).isFalse();
    }

    @Test
    void operationWithService_mustBeThatServicesOperation() {
        assertThat(q("orders", "POST /orders", null, null, null, null).matches(S))
                .isTrue();
        assertThat(q("frontend", "POST /orders", null, null, null, null).matches(S))
                .isFalse();
    }

    @Test
    void operationWithoutService_mayBeAnyServices() {
        assertThat(q(null, "charge", null, null, null, null).matches(S)).isTrue();
        assertThat(q(null, "refund", null, null, null, null).matches(S)).isFalse();
    }

    @Test
    void durationBoundsAreInclusive() {
        assertThat(q(null, null, 250_000_000L, 250_000_000L, null, null).matches(S))
                .isTrue();
        assertThat(q(null, null, 250_000_001L, null, null, null).matches(S)).isFalse();
        assertThat(q(null, null, null, 249_999_999L, null, null).matches(S)).isFalse();
    }

    @Test
    void errorFilter() {
        assertThat(q(null, null, null, null, true, null).matches(S)).isTrue();
        assertThat(q(null, null, null, null, false, null).matches(S)).isFalse();
    }

    @Test
    void everyTagMustMatch() {
        assertThat(q(null, null, null, null, null, Map.of("http.method", "GET", "customer.tier", "gold"))
                        .matches(S))
                .isTrue();
        assertThat(q(null, null, null, null, null, Map.of("http.method", "GET", "customer.tier", "silver"))
                        .matches(S))
                .isFalse();
        assertThat(q(null, null, null, null, null, Map.of("region", "eu")).matches(S))
                .isFalse();
    }

    @Test
    void allCriteriaTogether() {
        assertThat(q("orders", "POST /orders", 1L, 300_000_000L, true, Map.of("customer.tier", "gold"))
                        .matches(S))
                .isTrue();
        assertThat(q("orders", "POST /orders", 1L, 300_000_000L, false, Map.of("customer.tier", "gold"))
                        .matches(S))
                .isFalse();
    }

    @Test
    void refusesEmptyRanges() {
        assertThatThrownBy(() -> new TraceQuery(null, null, null, null, null, null, T0 + 1, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q(null, null, 5L, 4L, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
