package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTextTest {
    @Test
    void shortFieldNamesBecomeEcsFields() {
        assertThat(QueryText.rewrite("service:checkout AND level:ERROR"))
                .isEqualTo("service.name:checkout AND log.level:ERROR");
        assertThat(QueryText.rewrite("trace_id:abc OR (span_id:1 -msg:x)"))
                .isEqualTo("trace.id:abc OR (span.id:1 -message:x)");
        assertThat(QueryText.rewrite("+level:>=WARN")).isEqualTo("+log.level:>=WARN");
    }

    @Test
    void wordsPhrasesEscapesAndUnknownFieldsStayAsTyped() {
        assertThat(QueryText.rewrite("service")).isEqualTo("service");
        assertThat(QueryText.rewrite("\"service:x level:y\" service:a"))
                .isEqualTo("\"service:x level:y\" service.name:a");
        assertThat(QueryText.rewrite("a\\\"service:b")).isEqualTo("a\\\"service:b");
        assertThat(QueryText.rewrite("labels.region:eu message:x _exists_:trace.id"))
                .isEqualTo("labels.region:eu message:x _exists_:trace.id");
        assertThat(QueryText.rewrite("url:service:x")).isEqualTo("labels.url:service:x");
        assertThat(QueryText.rewrite("\"unterminated service:x")).isEqualTo("\"unterminated service:x");
    }

    @Test
    void otherNamesAreTheLogsLabels() {
        assertThat(QueryText.rewrite("host:h1 AND resource.host.name:x"))
                .isEqualTo("labels.host:h1 AND labels.resource.host.name:x");
        assertThat(QueryText.column("host:h1 AND (", 20)).isEqualTo(13);
    }

    @Test
    void aColumnOfTheRewrittenTextMapsBackToTheTypedOne() {
        String q = "service:a AND (";
        String rewritten = QueryText.rewrite(q);
        assertThat(rewritten).isEqualTo("service.name:a AND (");
        // the '(' is column 15 as typed, 20 after the rename
        assertThat(rewritten.charAt(19)).isEqualTo('(');
        assertThat(QueryText.column(q, 20)).isEqualTo(15);
        assertThat(QueryText.column(q, 1)).isEqualTo(1);
        assertThat(QueryText.column("plain AND", 7)).isEqualTo(7);
    }
}
