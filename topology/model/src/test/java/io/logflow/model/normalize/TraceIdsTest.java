package io.logflow.model.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceIdsTest {

    @Test
    void keepsW3cTraceIds_lowercased() {
        assertThat(TraceIds.normalizeTraceId("4BF92F3577B34DA6A3CE929D0E0E4736"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void turnsUuids_withOrWithoutDashes_into32Hex() {
        assertThat(TraceIds.normalizeTraceId("550e8400-e29b-41d4-a716-446655440000"))
                .isEqualTo("550e8400e29b41d4a716446655440000");
        assertThat(TraceIds.normalizeTraceId(" 550E8400E29B41D4A716446655440000 "))
                .isEqualTo("550e8400e29b41d4a716446655440000");
    }

    @Test
    void leftPads64BitIds() {
        assertThat(TraceIds.normalizeTraceId("a3ce929d0e0e4736")).isEqualTo("0000000000000000a3ce929d0e0e4736");
    }

    @Test
    void rejectsAllZeros_wrongLength_andNonHex() {
        assertThat(TraceIds.normalizeTraceId("00000000000000000000000000000000"))
                .isNull();
        assertThat(TraceIds.normalizeTraceId("abc")).isNull();
        assertThat(TraceIds.normalizeTraceId("zz000000000000000000000000000000"))
                .isNull();
        assertThat(TraceIds.normalizeTraceId(null)).isNull();
    }

    @Test
    void normalisesSpanIds() {
        assertThat(TraceIds.normalizeSpanId("00F067AA0BA902B7")).isEqualTo("00f067aa0ba902b7");
        assertThat(TraceIds.normalizeSpanId("0000000000000000")).isNull();
        assertThat(TraceIds.normalizeSpanId("123")).isNull();
    }
}
