package io.logflow.model;

import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopErrorsTest {

    @Test
    void groupsMessagesByTemplate_keepingTheFirstExample() {
        TopErrors t = new TopErrors()
                .add("timeout after 30s for order 123", TRACE_ID, T0)
                .add("timeout after 31s for order 456", null, T0 + 10)
                .add("disk full", null, T0 + 5);
        List<TopErrors.Entry> top = t.top(10);
        assertThat(top).hasSize(2);
        assertThat(top.get(0))
                .isEqualTo(new TopErrors.Entry(
                        "timeout after <n>s for order <n>", 2, "timeout after 30s for order 123", TRACE_ID, T0 + 10));
        assertThat(top.get(1).template()).isEqualTo("disk full");
        assertThat(top.get(1).count()).isEqualTo(1);
    }

    @Test
    void orderIsByCount_thenMostRecent() {
        TopErrors t = new TopErrors()
                .add("a", null, T0)
                .add("b", null, T0 + 1)
                .add("c", null, T0 + 2)
                .add("c", null, T0 + 3);
        assertThat(t.top(3)).extracting(TopErrors.Entry::template).containsExactly("c", "b", "a");
        assertThat(t.top(1)).extracting(TopErrors.Entry::template).containsExactly("c");
    }

    @Test
    void whenFull_newTemplateReplacesTheLeastFrequent_inheritingItsCount() {
        TopErrors t = new TopErrors();
        for (int i = 0; i < TopErrors.CAPACITY; i++) {
            t.add("error kind " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null, T0);
            t.add("error kind " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null, T0);
        }
        t.add("heavy hitter", null, T0 + 1);
        assertThat(t.size()).isEqualTo(TopErrors.CAPACITY);
        assertThat(t.top(1).get(0))
                .extracting(TopErrors.Entry::template, TopErrors.Entry::count)
                .containsExactly("heavy hitter", 3L);
    }

    @Test
    void mergeSumsCountsPerTemplate_andTakesTheNewerExample() {
        TopErrors a = new TopErrors().add("timeout after 30s", "t1", T0).add("disk full", null, T0);
        TopErrors b = new TopErrors().add("timeout after 99s", "t2", T0 + 100);
        a.merge(b);
        assertThat(a.top(10))
                .containsExactly(
                        new TopErrors.Entry("timeout after <n>s", 2, "timeout after 99s", "t2", T0 + 100),
                        new TopErrors.Entry("disk full", 1, "disk full", null, T0));
    }

    @Test
    void mergeBeyondCapacity_keepsTheMostFrequent() {
        TopErrors a = new TopErrors();
        TopErrors b = new TopErrors();
        for (int i = 0; i < TopErrors.CAPACITY; i++) {
            a.add("a-error " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null, T0);
            b.add("b-error " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null, T0);
            b.add("b-error " + (char) ('a' + i % 26) + (char) ('a' + i / 26), null, T0);
        }
        a.merge(b);
        assertThat(a.size()).isEqualTo(TopErrors.CAPACITY);
        assertThat(a.top(TopErrors.CAPACITY))
                .allSatisfy(e -> assertThat(e.template()).startsWith("b-error"));
    }
}
