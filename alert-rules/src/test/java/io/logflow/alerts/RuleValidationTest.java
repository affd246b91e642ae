package io.logflow.alerts;

import static io.logflow.alerts.TestObjects.NOW;
import static io.logflow.alerts.TestObjects.RULE_ID;
import static io.logflow.alerts.TestObjects.SEED_BODY;
import static io.logflow.alerts.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.alerts.RuleValidation.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleValidationTest {
    private static final String MINIMAL = "\"name\":\"n\",\"condition\":\"greater_than\",\"threshold\":1";

    private static AlertRule valid(String body) {
        RuleValidation.Result r = RuleValidation.validate(json(body), RULE_ID, null, NOW, 1, null);
        assertThat(r).as(body).isInstanceOf(RuleValidation.Valid.class);
        return ((RuleValidation.Valid) r).rule();
    }

    private static List<FieldError> errors(String body) {
        RuleValidation.Result r = RuleValidation.validate(json(body), RULE_ID, null, NOW, 1, null);
        assertThat(r).as(body).isInstanceOf(RuleValidation.Invalid.class);
        return ((RuleValidation.Invalid) r).errors();
    }

    /** The only error of a body, which must be about {@code field}. */
    private static String errorOf(String field, String body) {
        List<FieldError> errors = errors(body);
        assertThat(errors).extracting(FieldError::field).containsExactly(field);
        return errors.get(0).message();
    }

    @Test
    void theSeedBody_isValid_asIs() {
        AlertRule r = valid(SEED_BODY);
        assertThat(r.id()).isEqualTo(RULE_ID);
        assertThat(r.name()).isEqualTo("Critical Error Spike");
        assertThat(r.description()).isEqualTo("Alert when errors exceed threshold");
        assertThat(r.metric()).isEqualTo(Metric.LOG_COUNT);
        assertThat(r.condition()).isEqualTo(Condition.GREATER_THAN);
        assertThat(r.threshold()).isEqualTo(50);
        assertThat(r.timeWindowMinutes()).isEqualTo(5);
        assertThat(r.levels()).containsExactly("ERROR");
        assertThat(r.services()).containsExactly("payment-service");
        assertThat(r.channel()).isEqualTo(Channel.WEBHOOK);
        assertThat(r.notificationConfig()).isEqualTo(Map.of("url", "http://127.0.0.1:9999/hook"));
        assertThat(r.notificationUrl()).isEqualTo("http://127.0.0.1:9999/hook");
        assertThat(r.active()).isTrue();
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.messagePattern()).isNull();
        assertThat(r.owner()).isNull();
        assertThat(r.createdAt()).isEqualTo(NOW);
        assertThat(r.updatedAt()).isEqualTo(NOW);
        assertThat(r.version()).isEqualTo(1);
    }

    @Test
    void defaults() {
        AlertRule r = valid("{" + MINIMAL + "}");
        assertThat(r.metric()).isEqualTo(Metric.LOG_COUNT);
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.channel()).isEqualTo(Channel.CONSOLE);
        assertThat(r.active()).isTrue();
        assertThat(r.services()).isEmpty();
        assertThat(r.levels()).isEmpty();
        assertThat(r.description()).isEmpty();
        assertThat(r.timeWindowMinutes()).isEqualTo(5);
        assertThat(r.notificationConfig()).isEmpty();
        assertThat(r.messagePattern()).isNull();
    }

    @Test
    void jsonNull_countsAsAbsent() {
        AlertRule r = valid("{" + MINIMAL + ",\"description\":null,\"metric\":null,\"services\":null,\"levels\":null,"
                + "\"message_pattern\":null,\"severity\":null,\"notification_channel\":null,\"notification_config\":n"
                + "ull,"
                + "\"is_active\":null,\"owner\":null,\"time_window\":null}");
        assertThat(r).isEqualTo(valid("{" + MINIMAL + "}"));
    }

    @Test
    void everyInvalidField_isNamed_allAtOnce() {
        List<FieldError> errors =
                errors("{\"name\":\" \",\"description\":7,\"metric\":\"log_count\",\"condition\":\"bigger\","
                        + "\"threshold\":-1,\"time_window\":0,\"services\":[\"\",3,\"ok\"],\"levels\":[\"LOUD\",\"err"
                        + "or\"],"
                        + "\"severity\":\"urgent\",\"notification_channel\":\"pager\",\"notification_config\":[],\"is"
                        + "_active\":\"yes\",\"owner\":5}");
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly(
                        "name",
                        "description",
                        "condition",
                        "threshold",
                        "time_window",
                        "services[0]",
                        "services[1]",
                        "levels[0]",
                        "severity",
                        "notification_channel",
                        "notification_config",
                        "is_active",
                        "owner");
        assertThat(errors)
                .extracting(FieldError::message)
                .allSatisfy(m -> assertThat(m).isNotBlank());
    }

    @Test
    void aTypo_isAnUnknownField_notSilentlyIgnored() {
        List<FieldError> errors = errors("{\"name\":\"n\",\"condition\":\"greater_than\",\"treshold\":50}");
        assertThat(errors).extracting(FieldError::field).containsExactly("treshold", "threshold");
        assertThat(errors.get(0).message()).isEqualTo("unknown field; did you mean 'threshold'?");
        assertThat(errors.get(1).message()).isEqualTo("is required");
    }

    @Test
    void unknownFields_suggestTheSnakeCaseName_orNothingWhenNothingIsClose() {
        assertThat(errorOf("timeWindow", "{" + MINIMAL + ",\"timeWindow\":5}")).contains("'time_window'");
        assertThat(errorOf("isActive", "{" + MINIMAL + ",\"isActive\":true}")).contains("'is_active'");
        assertThat(errorOf("colour", "{" + MINIMAL + ",\"colour\":\"red\"}")).isEqualTo("unknown field");
    }

    @Test
    void serverAssignedFields_areIgnored_soAFetchedRuleCanBeSentBack() {
        AlertRule stored = valid(SEED_BODY);
        Instant created = NOW.minusSeconds(3600);
        AlertRule first = new AlertRule(
                stored.id(),
                stored.name(),
                stored.description(),
                stored.metric(),
                stored.condition(),
                stored.threshold(),
                stored.timeWindowMinutes(),
                stored.services(),
                stored.levels(),
                stored.messagePattern(),
                stored.severity(),
                stored.channel(),
                stored.notificationConfig(),
                stored.active(),
                stored.owner(),
                created,
                created,
                1);
        RuleValidation.Result again = RuleValidation.validate(RuleJson.toJson(first), RULE_ID, null, NOW, 2, created);
        assertThat(again)
                .isEqualTo(new RuleValidation.Valid(new AlertRule(
                        stored.id(),
                        stored.name(),
                        stored.description(),
                        stored.metric(),
                        stored.condition(),
                        stored.threshold(),
                        stored.timeWindowMinutes(),
                        stored.services(),
                        stored.levels(),
                        stored.messagePattern(),
                        stored.severity(),
                        stored.channel(),
                        stored.notificationConfig(),
                        stored.active(),
                        stored.owner(),
                        created,
                        NOW,
                        2)));

        AlertRule other = valid("{" + MINIMAL + ",\"id\":\"not-this-one\",\"version\":99,\"created_at\":\"garbage\"}");
        assertThat(other.id()).isEqualTo(RULE_ID);
        assertThat(other.version()).isEqualTo(1);
        assertThat(other.createdAt()).isEqualTo(NOW);
    }

    @Test
    void theBody_mustBeAnObject() {
        for (String body : List.of("[]", "\"rule\"", "42", "null")) {
            RuleValidation.Result r = RuleValidation.validate(json(body), RULE_ID, null, NOW, 1, null);
            assertThat(r)
                    .isEqualTo(new RuleValidation.Invalid(List.of(new FieldError("body", "must be a JSON object"))));
        }
        assertThat(RuleValidation.validate(null, RULE_ID, null, NOW, 1, null))
                .isInstanceOf(RuleValidation.Invalid.class);
    }

    @Test
    void name_isRequired_nonBlank_andAtMost200Characters() {
        assertThat(errorOf("name", "{\"condition\":\"greater_than\",\"threshold\":1}"))
                .isEqualTo("is required");
        assertThat(errorOf("name", "{\"name\":null,\"condition\":\"greater_than\",\"threshold\":1}"))
                .isEqualTo("is required");
        assertThat(errorOf("name", "{\"name\":\"  \",\"condition\":\"greater_than\",\"threshold\":1}"))
                .isEqualTo("must not be blank");
        assertThat(errorOf("name", "{\"name\":[],\"condition\":\"greater_than\",\"threshold\":1}"))
                .isEqualTo("must be a string");
        String n200 = "x".repeat(200);
        assertThat(valid("{\"name\":\"" + n200 + "\",\"condition\":\"greater_than\",\"threshold\":1}")
                        .name())
                .isEqualTo(n200);
        assertThat(errorOf("name", "{\"name\":\"" + n200 + "y\",\"condition\":\"greater_than\",\"threshold\":1}"))
                .contains("200");
        assertThat(valid("{\"name\":\"  padded  \",\"condition\":\"greater_than\",\"threshold\":1}")
                        .name())
                .isEqualTo("padded");
    }

    @Test
    void conditionAndThreshold_areRequired() {
        assertThat(errors("{\"name\":\"n\"}")).extracting(FieldError::field).containsExactly("condition", "threshold");
        assertThat(errorOf("condition", "{\"name\":\"n\",\"threshold\":1}")).contains("greater_than_or_equal");
        assertThat(valid("{\"name\":\"n\",\"condition\":\"LESS_THAN_OR_EQUAL\",\"threshold\":0}")
                        .condition())
                .isEqualTo(Condition.LESS_THAN_OR_EQUAL);
    }

    @Test
    void threshold_isANonNegativeNumber() {
        assertThat(errorOf("threshold", "{\"name\":\"n\",\"condition\":\"equals\",\"threshold\":\"50\"}"))
                .isEqualTo("must be a number");
        assertThat(errorOf("threshold", "{\"name\":\"n\",\"condition\":\"equals\",\"threshold\":-0.5}"))
                .isEqualTo("must not be negative");
        assertThat(errorOf("threshold", "{\"name\":\"n\",\"condition\":\"equals\",\"threshold\":true}"))
                .isEqualTo("must be a number");
        assertThat(valid("{\"name\":\"n\",\"condition\":\"equals\",\"threshold\":2.5}")
                        .threshold())
                .isEqualTo(2.5);
    }

    @Test
    void rateThresholds_areFractions() {
        String message = errorOf(
                "threshold",
                "{\"name\":\"n\",\"metric\":\"error_rate\",\"condition\":\"greater_than\",\"threshold\":5}");
        assertThat(message).contains("between 0 and 1").contains("error_rate");
        assertThat(errorOf(
                        "threshold",
                        "{\"name\":\"n\",\"metric\":\"span_error_rate\",\"condition\":\"greater_than\",\"thre"
                                + "shold\":1.5}"))
                .contains("span_error_rate");
        assertThat(valid("{\"name\":\"n\",\"metric\":\"error_rate\",\"condition\":\"greater_than\",\"threshold\":0.05}")
                        .threshold())
                .isEqualTo(0.05);
        assertThat(valid("{\"name\":\"n\",\"metric\":\"span_error_rate\",\"condition\":\"equals\",\"threshold\":1}")
                        .threshold())
                .isEqualTo(1);
        assertThat(valid("{\"name\":\"n\",\"metric\":\"error_count\",\"condition\":\"greater_than\",\"threshold\":5}")
                        .threshold())
                .isEqualTo(5);
    }

    @Test
    void timeWindow_isWholeMinutes_1To1440() {
        assertThat(valid("{" + MINIMAL + ",\"time_window\":1}").timeWindowMinutes())
                .isEqualTo(1);
        assertThat(valid("{" + MINIMAL + ",\"time_window\":1440}").timeWindowMinutes())
                .isEqualTo(1440);
        for (String bad : List.of("0", "1441", "2.5", "\"5\"", "-5", "99999999999")) {
            assertThat(errorOf("time_window", "{" + MINIMAL + ",\"time_window\":" + bad + "}"))
                    .as(bad)
                    .contains("1 to 1440");
        }
    }

    @Test
    void services_areNonBlankNames() {
        AlertRule r = valid("{" + MINIMAL + ",\"services\":[\" orders \",\"payments\",\"orders\"]}");
        assertThat(r.services()).containsExactly("orders", "payments");
        assertThat(errorOf("services", "{" + MINIMAL + ",\"services\":\"orders\"}"))
                .isEqualTo("must be an array of strings");
        assertThat(errorOf("services[1]", "{" + MINIMAL + ",\"services\":[\"a\",\"" + "s".repeat(201) + "\"]}"))
                .contains("200");
    }

    @Test
    void levels_acceptAliasesInAnyCase_andRejectUnknownNames() {
        AlertRule r = valid("{" + MINIMAL + ",\"levels\":[\"warning\",\"Critical\",\"error\",\"WARN\"]}");
        assertThat(r.levels()).containsExactly("WARN", "FATAL", "ERROR");
        assertThat(errorOf("levels[1]", "{" + MINIMAL + ",\"levels\":[\"INFO\",\"verbose\"]}"))
                .contains("'verbose'")
                .contains("TRACE");
        assertThat(errorOf("levels[0]", "{" + MINIMAL + ",\"levels\":[3]}")).contains("unknown level 3");
    }

    @Test
    void levels_onAMetricThatDoesNotFilterByLevel_areAnError() {
        assertThat(errorOf(
                        "levels",
                        "{\"name\":\"n\",\"metric\":\"error_rate\",\"condition\":\"greater_than\",\"threshold\":0.1,"
                                + "\"levels\":[\"ERROR\"]}"))
                .contains("ERROR and FATAL");
        assertThat(errorOf(
                        "levels",
                        "{\"name\":\"n\",\"metric\":\"latency_p95\",\"condition\":\"greater_than\",\"threshold\":1,"
                                + "\"levels\":[\"ERROR\"]}"))
                .contains("latency_p95");
        assertThat(valid("{\"name\":\"n\",\"metric\":\"log_match_count\",\"condition\":\"greater_than\",\"thre"
                                + "shold\":1,"
                                + "\"levels\":[\"ERROR\"],\"message_pattern\":\"timeout\"}")
                        .levels())
                .containsExactly("ERROR");
    }

    @Test
    void logMatchCount_needsAMessagePattern() {
        assertThat(errorOf(
                        "message_pattern",
                        "{\"name\":\"n\",\"metric\":\"log_match_count\",\"condition\":\"greater_than\",\"thre"
                                + "shold\":1}"))
                .startsWith("is required");
        assertThat(errorOf(
                        "message_pattern",
                        "{\"name\":\"n\",\"metric\":\"log_match_count\",\"condition\":\"greater_than\",\"threshold\":1,"
                                + "\"message_pattern\":\"  \"}"))
                .isEqualTo("must not be blank");
        AlertRule r =
                valid("{\"name\":\"n\",\"metric\":\"log_match_count\",\"condition\":\"greater_than\",\"threshold\":1,"
                        + "\"message_pattern\":\"/timeout after \\\\d+s/i\"}");
        assertThat(r.messagePattern()).isEqualTo("/timeout after \\d+s/i");
    }

    @Test
    void aRegexThatDoesNotCompile_isAnError_sayingWhy() {
        String message = errorOf(
                "message_pattern",
                "{\"name\":\"n\",\"metric\":\"log_match_count\",\"condition\":\"greater_than\","
                        + "\"threshold\":1,\"message_pattern\":\"/(unclosed/\"}");
        assertThat(message)
                .startsWith("invalid regular expression: Unclosed group")
                .contains("/(unclosed/");
        assertThat(errorOf("message_pattern", "{" + MINIMAL + ",\"message_pattern\":\"/[a-/i\"}"))
                .contains("invalid regular expression");
        assertThat(errorOf("message_pattern", "{" + MINIMAL + ",\"message_pattern\":\"//\"}"))
                .contains("empty");
        // not between slashes: a plain text, whatever it holds
        assertThat(valid("{" + MINIMAL + ",\"message_pattern\":\"(unclosed\"}").messagePattern())
                .isEqualTo("(unclosed");
    }

    @Test
    void aMessagePattern_isOnlyForLogMetrics() {
        assertThat(errorOf(
                        "message_pattern",
                        "{\"name\":\"n\",\"metric\":\"latency_p99\",\"condition\":\"greater_than\",\"threshold\":1,"
                                + "\"message_pattern\":\"timeout\"}"))
                .contains("latency_p99");
        assertThat(errorOf(
                        "message_pattern", "{\"name\":\"n\",\"metric\":\"no_data\",\"message_pattern\":\"timeout\"}"))
                .contains("no_data");
        assertThat(valid("{\"name\":\"n\",\"metric\":\"error_rate\",\"condition\":\"greater_than\",\"threshold\":0.5,"
                                + "\"message_pattern\":\"checkout\"}")
                        .messagePattern())
                .isEqualTo("checkout");
    }

    @Test
    void noData_needsNoConditionNorThreshold() {
        AlertRule r =
                valid("{\"name\":\"silence\",\"metric\":\"no_data\",\"time_window\":10,\"services\":[\"orders\"]}");
        assertThat(r.metric()).isEqualTo(Metric.NO_DATA);
        assertThat(r.condition()).isNull();
        assertThat(r.threshold()).isZero();
        assertThat(valid("{\"name\":\"silence\",\"metric\":\"NO_DATA\",\"condition\":\"greater_than\",\"threshold\":3}")
                        .condition())
                .isEqualTo(Condition.GREATER_THAN);
        assertThat(errorOf("condition", "{\"name\":\"silence\",\"metric\":\"no_data\",\"condition\":\"never\"}"))
                .contains("'never'");
    }

    @Test
    void unknownMetric_isNamed_andDoesNotHideOtherErrors() {
        List<FieldError> errors = errors("{\"name\":\"n\",\"metric\":\"cpu\",\"threshold\":\"high\"}");
        assertThat(errors).extracting(FieldError::field).containsExactly("metric", "condition", "threshold");
        assertThat(errors.get(0).message()).contains("'cpu'").contains("log_match_count");
    }

    @Test
    void webhookAndSlack_needAnAbsoluteHttpUrl() {
        String base = "{" + MINIMAL + ",\"notification_channel\":";
        assertThat(errorOf("notification_config", base + "\"webhook\"}")).contains("webhook");
        assertThat(errorOf("notification_config.url", base + "\"slack\",\"notification_config\":{}}"))
                .isEqualTo("is required for slack");
        assertThat(errorOf(
                        "notification_config.url", base + "\"slack\",\"notification_config\":{\"url\":\"ftp://h/x\"}}"))
                .startsWith("must be an absolute http or https URL");
        assertThat(errorOf(
                        "notification_config.url", base + "\"webhook\",\"notification_config\":{\"url\":\"/hook\"}}"))
                .startsWith("must be an absolute http or https URL");
        assertThat(errorOf(
                        "notification_config.url",
                        base + "\"webhook\",\"notification_config\":{\"url\":\"http://bad host/\"}}"))
                .startsWith("must be an absolute http or https URL");
        assertThat(errorOf(
                        "notification_config.url",
                        base + "\"webhook\",\"notification_config\":{\"url\":\"http://u:p@example.com/\"}}"))
                .isEqualTo("must not contain user info (user:password@)");
        assertThat(errorOf("notification_config.url", base + "\"webhook\",\"notification_config\":{\"url\":42}}"))
                .isEqualTo("must be a string");
        AlertRule slack =
                valid(base + "\"SLACK\",\"notification_config\":{\"url\":\"https://hooks.slack.com/services/T0/B0/x\","
                        + "\"channel\":\"#ops\"}}");
        assertThat(slack.channel()).isEqualTo(Channel.SLACK);
        assertThat(slack.notificationConfig()).containsEntry("channel", "#ops");
    }

    @Test
    void console_needsNoConfig() {
        AlertRule r = valid("{" + MINIMAL + ",\"notification_channel\":\"console\"}");
        assertThat(r.channel()).isEqualTo(Channel.CONSOLE);
        assertThat(r.notificationConfig()).isEmpty();
        assertThat(r.notificationUrl()).isNull();
    }

    @Test
    void owner_isTheAuthenticatedUser_elseTheBodys() {
        String body = "{" + MINIMAL + ",\"owner\":\"alice\"}";
        assertThat(valid(body).owner()).isEqualTo("alice");
        RuleValidation.Result r = RuleValidation.validate(json(body), RULE_ID, "bob", NOW, 1, null);
        assertThat(((RuleValidation.Valid) r).rule().owner()).isEqualTo("bob");
    }

    @Test
    void aReplacement_keepsItsCreationTime_andTakesTheNewVersion() {
        Instant created = NOW.minusSeconds(86_400);
        RuleValidation.Result r = RuleValidation.validate(json(SEED_BODY), RULE_ID, null, NOW, 4, created);
        AlertRule rule = ((RuleValidation.Valid) r).rule();
        assertThat(rule.createdAt()).isEqualTo(created);
        assertThat(rule.updatedAt()).isEqualTo(NOW);
        assertThat(rule.version()).isEqualTo(4);
    }
}
