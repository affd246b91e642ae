package io.logflow.model;

import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.T0_NANOS;
import static io.logflow.model.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.schema.Stores;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSummaryTest {
    static final TraceSummary CHECKOUT = new TraceSummary(
            TRACE_ID,
            "frontend",
            "GET /checkout",
            true,
            T0_NANOS + 123_456_789,
            250_000_000,
            12,
            2,
            List.of("orders", "frontend", "payments", "orders"),
            List.of(op("orders", "POST /orders"), op("frontend", "GET /checkout"), op("payments", "charge")),
            List.of("http.method=GET", "customer.tier=gold"));

    static String op(String service, String name) {
        return service + Stores.KEY_SEPARATOR + name;
    }

    @Test
    void listsAreSorted_distinct_andImmutable() {
        assertThat(CHECKOUT.services()).containsExactly("frontend", "orders", "payments");
        assertThat(CHECKOUT.operations())
                .containsExactly(
                        op("frontend", "GET /checkout"), op("orders", "POST /orders"), op("payments", "charge"));
        assertThat(CHECKOUT.tags()).containsExactly("customer.tier=gold", "http.method=GET");
        assertThatThrownBy(() -> CHECKOUT.tags().add("x=y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void answersServiceOperationAndTagLookups() {
        assertThat(CHECKOUT.hasService("orders")).isTrue();
        assertThat(CHECKOUT.hasService("mailer")).isFalse();
        assertThat(CHECKOUT.hasOperation("orders", "POST /orders")).isTrue();
        assertThat(CHECKOUT.hasOperation("frontend", "POST /orders")).isFalse();
        assertThat(CHECKOUT.anyServiceHasOperation("charge")).isTrue();
        assertThat(CHECKOUT.anyServiceHasOperation("charg")).isFalse();
        assertThat(CHECKOUT.hasTag("http.method", "GET")).isTrue();
        assertThat(CHECKOUT.hasTag("http.method", "POST")).isFalse();
    }

    @Test
    void errorAndStartMillis() {
        assertThat(CHECKOUT.error()).isTrue();
        assertThat(CHECKOUT.startMillis()).isEqualTo(T0 + 123);
        assertThat(new TraceSummary(TRACE_ID, "s", "o", true, -1, 0, 1, 0, null, null, null).startMillis())
                .isEqualTo(-1);
        assertThat(new TraceSummary(TRACE_ID, "s", "o", true, 0, 0, 1, 0, null, null, null).error())
                .isFalse();
    }

    @Test
    void roundTripsThroughBytes() {
        assertThat(TraceSummary.fromBytes(CHECKOUT.toBytes())).isEqualTo(CHECKOUT);
        TraceSummary odd = new TraceSummary(
                "not-hex",
                null,
                null,
                false,
                0,
                0,
                0,
                0,
                List.of("sérvice ✓"),
                List.of("no separator", op("", "")),
                List.of("k==v"));
        assertThat(TraceSummary.fromBytes(odd.toBytes())).isEqualTo(odd);
    }

    @Test
    void encodingInternsRepeatedServiceNames() {
        TraceSummary oneService = new TraceSummary(
                TRACE_ID,
                "a-rather-long-service-name",
                "op0",
                true,
                T0_NANOS,
                1,
                1,
                0,
                List.of("a-rather-long-service-name"),
                List.of(
                        op("a-rather-long-service-name", "op1"),
                        op("a-rather-long-service-name", "op2"),
                        op("a-rather-long-service-name", "op3")),
                List.of());
        assertThat(oneService.toBytes().length).isLessThan(2 * "a-rather-long-service-name".length() + 50);
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = CHECKOUT.toBytes();
        bytes[0] = 7;
        assertThatThrownBy(() -> TraceSummary.fromBytes(bytes)).hasMessageContaining("version 7");
    }
}
