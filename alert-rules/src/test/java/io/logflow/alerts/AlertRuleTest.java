package io.logflow.alerts;

import static io.logflow.alerts.TestObjects.NOW;
import static io.logflow.alerts.TestObjects.RULE_ID;
import static io.logflow.alerts.TestObjects.rule;
import static io.logflow.alerts.TestObjects.seedRule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

    private static AlertRule withPattern(String pattern) {
        return rule(Metric.LOG_MATCH_COUNT, Condition.GREATER_THAN, 0, 5, List.of(), pattern);
    }

    @Test
    void appliesToTheServicesItNames_orToEveryService() {
        AlertRule seed = seedRule();
        assertThat(seed.appliesTo("payment-service")).isTrue();
        assertThat(seed.appliesTo("Payment-Service")).isFalse();
        assertThat(seed.appliesTo("orders")).isFalse();
        assertThat(seed.appliesTo(null)).isFalse();
        assertThat(rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1).appliesTo("orders"))
                .isTrue();
    }

    @Test
    void levelMatches_theRulesLevels_inAnySpelling_orAllLevelsWhenNone() {
        AlertRule r = rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1, 5, List.of("warning", "FATAL"), null);
        assertThat(r.levels()).containsExactly("WARN", "FATAL");
        assertThat(r.levelMatches("WARN")).isTrue();
        assertThat(r.levelMatches("warning")).isTrue();
        assertThat(r.levelMatches("critical")).isTrue();
        assertThat(r.levelMatches("ERROR")).isFalse();
        assertThat(r.levelMatches("nonsense")).isFalse();
        assertThat(r.levelMatches(null)).isFalse();
        AlertRule all = rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1);
        assertThat(all.levelMatches("TRACE")).isTrue();
        assertThat(all.levelMatches(null)).isTrue();
    }

    @Test
    void aPlainPattern_isACaseInsensitiveSubstring() {
        AlertRule r = withPattern("Timeout after");
        assertThat(r.messageMatches("upstream TIMEOUT AFTER 30s")).isTrue();
        assertThat(r.messageMatches("timeout before 30s")).isFalse();
        assertThat(r.messageMatches("timeout")).isFalse();
        assertThat(r.messageMatches(null)).isFalse();
        assertThat(withPattern("a.c").messageMatches("abc"))
                .as("no regex outside slashes")
                .isFalse();
        assertThat(withPattern("a.c").messageMatches("xA.Cx")).isTrue();
    }

    @Test
    void aSlashedPattern_isARegexFoundAnywhere_caseSensitiveUnlessSuffixedWithI() {
        AlertRule r = withPattern("/timeout after \\d+s/");
        assertThat(r.messageMatches("upstream timeout after 30s for order 123")).isTrue();
        assertThat(r.messageMatches("upstream Timeout after 30s")).isFalse();
        assertThat(r.messageMatches("timeout after ten s")).isFalse();
        AlertRule i = withPattern("/timeout after \\d+s/i");
        assertThat(i.messageMatches("upstream TIMEOUT AFTER 30S")).isTrue();
        assertThat(withPattern("/^GET /").messageMatches("GET /cart")).isTrue();
        assertThat(withPattern("/^GET /").messageMatches("a GET /cart")).isFalse();
    }

    @Test
    void noPattern_matchesEveryMessage_andMatchesLogCombinesLevelAndMessage() {
        AlertRule any = rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1);
        assertThat(any.messageMatches("anything")).isTrue();
        assertThat(any.messageMatches(null)).isTrue();
        AlertRule r = rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1, 5, List.of("ERROR"), "timeout");
        assertThat(r.matchesLog("ERROR", "db timeout")).isTrue();
        assertThat(r.matchesLog("INFO", "db timeout")).isFalse();
        assertThat(r.matchesLog("ERROR", "db down")).isFalse();
    }

    @Test
    void aRegex_isCompiledOnce_perPatternText() {
        String p = "/compiled[- ]once/";
        withPattern(p);
        assertThat(MessagePatterns.matcher(p)).isSameAs(MessagePatterns.matcher(p));
    }

    @Test
    void theConstructor_keepsTheInvariants() {
        assertThatThrownBy(() -> rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1, 0, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1, 1441, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rule(Metric.LOG_COUNT, null, 1)).hasMessageContaining("condition");
        assertThatThrownBy(() -> rule(Metric.LOG_COUNT, Condition.GREATER_THAN, Double.NaN))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 1, 5, List.of("LOUD"), null))
                .hasMessageContaining("LOUD");
        assertThatThrownBy(() -> withPattern("/(/")).isInstanceOf(PatternSyntaxException.class);
        assertThat(rule(Metric.NO_DATA, null, 0).condition()).isNull();
    }

    @Test
    void theConstructor_normalises_andCopies() {
        Map<String, Object> config = new HashMap<>();
        config.put("url", "https://example.com/hook");
        config.put("headers", new HashMap<>(Map.of("X-Token", "t")));
        AlertRule r = new AlertRule(
                RULE_ID,
                "n",
                null,
                Metric.LOG_COUNT,
                Condition.EQUALS,
                1,
                5,
                null,
                null,
                " ",
                Severity.INFO,
                Channel.WEBHOOK,
                config,
                true,
                null,
                NOW,
                NOW,
                1);
        config.put("url", "changed");
        assertThat(r.description()).isEmpty();
        assertThat(r.services()).isEmpty();
        assertThat(r.levels()).isEmpty();
        assertThat(r.messagePattern()).isNull();
        assertThat(r.notificationUrl()).isEqualTo("https://example.com/hook");
        assertThatThrownBy(() -> r.notificationConfig().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> headers =
                (Map<String, Object>) r.notificationConfig().get("headers");
        assertThatThrownBy(() -> headers.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void windowAndKind() {
        assertThat(seedRule().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(seedRule().isSpanRule()).isFalse();
        assertThat(rule(Metric.LATENCY_P99, Condition.GREATER_THAN, 500).isSpanRule())
                .isTrue();
        assertThat(rule(Metric.NO_DATA, null, 0).isSpanRule()).isFalse();
    }
}
