package io.logflow.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.LogFlowProperties.Limit;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code logflow.rate-limits.*} as Spring binds it: {@code <requests>/<period>} texts, the shipped defaults. */
class RateLimitSettingsTest {
    @Test
    void aLimit_isRequestsSlashPeriod() {
        assertThat(Limit.of("20/1h")).isEqualTo(new Limit(20, Duration.ofHours(1)));
        assertThat(Limit.of(" 50 / 1m ")).isEqualTo(new Limit(50, Duration.ofMinutes(1)));
        assertThat(Limit.of("10/h")).isEqualTo(new Limit(10, Duration.ofHours(1)));
        assertThat(Limit.of("5/30s")).isEqualTo(new Limit(5, Duration.ofSeconds(30)));
        assertThat(Limit.of("20000/1m").toString()).isEqualTo("20000/1m");
        assertThat(new Limit(3, Duration.ofMillis(1500)).toString()).isEqualTo("3/1500ms");
        assertThat(new Limit(3, Duration.ofDays(1)).toString()).isEqualTo("3/1d");
        for (String bad : List.of("", "20", "/1h", "20/", "0/1h", "x/1h", "20/1 fortnight", "-1/1m"))
            assertThatThrownBy(() -> Limit.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimits.describe(Duration.ofHours(1))).isEqualTo("hour");
        assertThat(RateLimits.describe(Duration.ofSeconds(30))).isEqualTo("30s");
    }

    @Test
    void theShippedDefaults_bindAndAreTheSeedsTable() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        // ${ENV:default} → default, as Spring resolves it without the variable
        Pattern placeholder = Pattern.compile("^\\$\\{[A-Z_]+:(.*)}$");
        Map<String, String> props = new java.util.HashMap<>();
        for (String name : shipped.stringPropertyNames()) {
            if (!name.startsWith("logflow.rate-limits.")) continue;
            Matcher m = placeholder.matcher(shipped.getProperty(name));
            assertThat(m.matches()).as(name + " has an environment override").isTrue();
            props.put(name, m.group(1));
        }
        LogFlowProperties.RateLimits bound = new Binder(new MapConfigurationPropertySource(props))
                .bind("logflow.rate-limits", LogFlowProperties.RateLimits.class)
                .get();
        assertThat(bound).isEqualTo(LogFlowProperties.RateLimits.defaults());
        assertThat(bound.login()).isEqualTo(new Limit(20, Duration.ofHours(1)));
        assertThat(bound.loginUsername()).isEqualTo(new Limit(20, Duration.ofHours(1)));
        assertThat(bound.register()).isEqualTo(new Limit(10, Duration.ofHours(1)));
        assertThat(bound.search()).isEqualTo(new Limit(50, Duration.ofMinutes(1)));
        assertThat(bound.trustedProxies()).isEmpty();
    }

    @Test
    void trustedProxies_areACommaSeparatedList_andABadOneFailsTheStart() {
        LogFlowProperties.RateLimits bound = new Binder(new MapConfigurationPropertySource(Map.of(
                        "logflow.rate-limits.enabled", "true",
                        "logflow.rate-limits.login", "1/1h",
                        "logflow.rate-limits.login-username", "1/1h",
                        "logflow.rate-limits.register", "1/1h",
                        "logflow.rate-limits.search", "1/1m",
                        "logflow.rate-limits.read", "1/1m",
                        "logflow.rate-limits.write", "1/1m",
                        "logflow.rate-limits.ingest", "1/1m",
                        "logflow.rate-limits.trusted-proxies", "10.0.0.0/8, ,192.0.2.1",
                        "logflow.rate-limits.max-keys", "5")))
                .bind("logflow.rate-limits", LogFlowProperties.RateLimits.class)
                .get();
        assertThat(bound.trustedProxies()).containsExactly("10.0.0.0/8", "192.0.2.1");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/8", "proxy.internal")))
                .hasMessageContaining("proxy.internal");
    }

    @Test
    void everySettingsPart_bindsFromTheShippedProperties() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        Map<String, String> props = new java.util.HashMap<>();
        for (String name : shipped.stringPropertyNames())
            props.put(name, shipped.getProperty(name).replaceAll("\\$\\{[A-Za-z_.]+:([^}]*)}", "$1"));
        LogFlowProperties all = new Binder(new MapConfigurationPropertySource(props))
                .bind("logflow", LogFlowProperties.class)
                .get();
        for (var c : LogFlowProperties.class.getRecordComponents()) {
            try {
                assertThat(c.getAccessor().invoke(all)).as(c.getName()).isNotNull();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(all.rateLimits()).isEqualTo(LogFlowProperties.RateLimits.defaults());
    }
}
