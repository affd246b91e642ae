package io.logflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    @Test
    void messagesDifferingOnlyInNumbers_shareATemplate() {
        assertThat(MessageTemplates.of("timeout after 30s for order 123"))
                .isEqualTo("timeout after <n>s for order <n>");
        assertThat(MessageTemplates.of("timeout after 31s for order 456"))
                .isEqualTo(MessageTemplates.of("timeout after 30s for order 123"));
    }

    @Test
    void replacesUuids_hexIds_andDecimals() {
        assertThat(MessageTemplates.of("user 550e8400-e29b-41d4-a716-446655440000 not found"))
                .isEqualTo("user <uuid> not found");
        assertThat(MessageTemplates.of("bad pointer 0x7ffee4b3c9a0")).isEqualTo("bad pointer <hex>");
        assertThat(MessageTemplates.of("span 00f067aa0ba902b7 dropped")).isEqualTo("span <hex> dropped");
        assertThat(MessageTemplates.of("took 1.25 ms")).isEqualTo("took <n> ms");
    }

    @Test
    void keepsWordsThatContainDigits_butNotAsIds() {
        assertThat(MessageTemplates.of("http2 stream reset")).isEqualTo("http2 stream reset");
        assertThat(MessageTemplates.of("deadbeef")).isEqualTo("deadbeef"); // hex letters only: a word, not an id
    }

    @Test
    void cutsLongTemplates() {
        assertThat(MessageTemplates.of("x".repeat(1000))).hasSize(MessageTemplates.MAX_TEMPLATE_LENGTH);
    }

    @Test
    void nullMessage_isEmptyTemplate() {
        assertThat(MessageTemplates.of(null)).isEmpty();
    }
}
