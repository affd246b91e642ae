package io.logflow.connect.elasticsearch;

import io.logflow.model.schema.Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The connector's settings: one {@link ConfigDef} with a NAME, DOC and DEFAULT constant per key and a validator
 * per value. Settings that depend on each other are checked by {@link #crossCheck}, which the connector's {@code
 * validate} adds to the per-key results and which fails the connector's and the tasks' start.
 */
final class SinkConfig extends AbstractConfig {

    private static final String GROUP_ES = "Elasticsearch";
    private static final String GROUP_BULK = "Bulk requests and buffering";
    private static final String GROUP_INDICES = "Topics and indices";

    static final String URLS = "elasticsearch.urls";
    static final String URLS_DOC = "Elasticsearch HTTP addresses, comma separated, e.g. http://127.0.0.1:9200. Requests"
            + " are spread over them; a node that fails is skipped for a while.";

    static final String USERNAME = "elasticsearch.username";
    static final String USERNAME_DOC =
            "User for HTTP basic authentication; empty for none. Needs " + "elasticsearch.password.";
    static final String USERNAME_DEFAULT = "";

    static final String PASSWORD = "elasticsearch.password";
    static final String PASSWORD_DOC = "Password for HTTP basic authentication; never logged.";
    static final Password PASSWORD_DEFAULT = new Password("");

    static final String CONNECTION_TIMEOUT_MS = "elasticsearch.connection.timeout.ms";
    static final String CONNECTION_TIMEOUT_MS_DOC = "How long to wait for a TCP connection to Elasticsearch.";
    static final int CONNECTION_TIMEOUT_MS_DEFAULT = 5_000;

    static final String READ_TIMEOUT_MS = "elasticsearch.read.timeout.ms";
    static final String READ_TIMEOUT_MS_DOC = "How long to wait for Elasticsearch's answer to one request (and for"
            + " data on an open connection); a request that times out is retried.";
    static final int READ_TIMEOUT_MS_DEFAULT = 30_000;

    static final String BULK_MAX_ACTIONS = "bulk.max.actions";
    static final String BULK_MAX_ACTIONS_DOC = "Most documents in one bulk request.";
    static final int BULK_MAX_ACTIONS_DEFAULT = 1_000;

    static final String BULK_MAX_BYTES = "bulk.max.bytes";
    static final String BULK_MAX_BYTES_DOC = "Most document bytes in one bulk request (a single larger document is"
            + " sent alone). Keep it below Elasticsearch's http.max_content_length (100 MB by default).";
    static final long BULK_MAX_BYTES_DEFAULT = 5L * 1024 * 1024;

    static final String BULK_LINGER_MS = "bulk.linger.ms";
    static final String BULK_LINGER_MS_DOC =
            "How long documents wait for a bulk request to fill up before it is sent" + " anyway.";
    static final int BULK_LINGER_MS_DEFAULT = 200;

    static final String MAX_IN_FLIGHT_REQUESTS = "bulk.max.in.flight.requests";
    static final String MAX_IN_FLIGHT_REQUESTS_DOC =
            "Most bulk requests sent to Elasticsearch and not yet answered," + " per task.";
    static final int MAX_IN_FLIGHT_REQUESTS_DEFAULT = 2;

    static final String BUFFER_MAX_RECORDS = "buffer.max.records";
    static final String BUFFER_MAX_RECORDS_DOC = "Most documents a task holds that Elasticsearch has not acknowledged"
            + " yet (waiting, in flight or waiting for a retry). When it is reached put() waits a little, then the"
            + " task pauses its partitions until there is room again.";
    static final int BUFFER_MAX_RECORDS_DEFAULT = 20_000;

    static final String BUFFER_MAX_BYTES = "buffer.max.bytes";
    static final String BUFFER_MAX_BYTES_DOC = "Most document bytes a task holds that Elasticsearch has not"
            + " acknowledged yet; like buffer.max.records.";
    static final long BUFFER_MAX_BYTES_DEFAULT = 64L * 1024 * 1024;

    static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    static final String RETRY_BACKOFF_INITIAL_MS_DOC = "Wait before the first retry of a document or request that"
            + " failed for a reason that may pass (Elasticsearch down, 429, 5xx); doubled at each further attempt.";
    static final long RETRY_BACKOFF_INITIAL_MS_DEFAULT = 100;

    static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries. Retries never stop: the task"
            + " keeps trying until Elasticsearch accepts or rejects the document.";
    static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 10_000;

    static final String LOGS_TOPIC = "logs.topic";
    static final String LOGS_TOPIC_DOC = "The topic of normalised logs (ECS JSON, one log per record).";
    static final String LOGS_TOPIC_DEFAULT = Topics.LOGS_NORMALIZED.name();

    static final String SPANS_TOPIC = "spans.topic";
    static final String SPANS_TOPIC_DOC = "The topic of normalised spans (JSON, one span per record).";
    static final String SPANS_TOPIC_DEFAULT = Topics.SPANS_NORMALIZED.name();

    static final String LOGS_INDEX_PREFIX = "logs.index.prefix";
    static final String LOGS_INDEX_PREFIX_DOC = "Logs go to the daily indices <prefix>-yyyy.MM.dd (UTC day of"
            + " @timestamp), all behind the alias <prefix>, made by the index template <prefix>.";
    static final String LOGS_INDEX_PREFIX_DEFAULT = "logflow-logs";

    static final String SPANS_INDEX_PREFIX = "spans.index.prefix";
    static final String SPANS_INDEX_PREFIX_DOC = "Spans go to the daily indices <prefix>-yyyy.MM.dd (UTC day of the"
            + " span's start), all behind the alias <prefix>, made by the index template <prefix>.";
    static final String SPANS_INDEX_PREFIX_DEFAULT = "logflow-spans";

    static final String INDEX_SHARDS = "index.number.of.shards";
    static final String INDEX_SHARDS_DOC = "Primary shards of each daily index (set in the index templates).";
    static final int INDEX_SHARDS_DEFAULT = 1;

    static final String INDEX_REPLICAS = "index.number.of.replicas";
    static final String INDEX_REPLICAS_DOC =
            "Replicas of each daily index (set in the index templates); 0 on a" + " single node.";
    static final int INDEX_REPLICAS_DEFAULT = 1;

    static final String RETENTION_DAYS = "retention.days";
    static final String RETENTION_DAYS_DOC = "Daily indices whose whole day is more than this many days old are"
            + " deleted, by name (so today and the previous N days are kept); 0 keeps every index. Meant to be set"
            + " from LOGFLOW_SEARCH_RETENTION_DAYS, e.g. with Connect's EnvVarConfigProvider.";
    static final int RETENTION_DAYS_DEFAULT = 7;

    static final String RETENTION_INTERVAL_MS = "retention.interval.ms";
    static final String RETENTION_INTERVAL_MS_DOC = "How often task 0 looks for daily indices to delete.";
    static final long RETENTION_INTERVAL_MS_DEFAULT = 3_600_000;

    /**
     * Set by the connector on each task's configuration, not by users: the task's number; only task 0 deletes old
     * indices.
     */
    static final String TASK_INDEX = "logflow.task.index";

    /** Lower-case Elasticsearch index name characters; what a prefix may be made of. */
    private static final Pattern INDEX_PREFIX = Pattern.compile("[a-z0-9][a-z0-9_.+-]*");

    /**
     * What users set: every key but the task index. The connector's {@code config()}: Connect's validation expects a
     * result for every key of it, and a key without one turned any configuration error into an HTTP 500.
     */
    static final ConfigDef USER_DEF = userDef();

    /** What a task reads: the users' keys and the task index the connector sets. */
    static final ConfigDef CONFIG_DEF = new ConfigDef(userDef())
            .defineInternal(
                    TASK_INDEX,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Set by the connector: the task's number.");

    private static ConfigDef userDef() {
        ConfigDef def = new ConfigDef();
        int es = 0;
        def.define(
                URLS,
                Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE,
                new UrlList(),
                Importance.HIGH,
                URLS_DOC,
                GROUP_ES,
                ++es,
                Width.LONG,
                "Elasticsearch URLs");
        def.define(
                USERNAME,
                Type.STRING,
                USERNAME_DEFAULT,
                Importance.MEDIUM,
                USERNAME_DOC,
                GROUP_ES,
                ++es,
                Width.SHORT,
                "Username");
        def.define(
                PASSWORD,
                Type.PASSWORD,
                PASSWORD_DEFAULT,
                Importance.MEDIUM,
                PASSWORD_DOC,
                GROUP_ES,
                ++es,
                Width.SHORT,
                "Password");
        def.define(
                CONNECTION_TIMEOUT_MS,
                Type.INT,
                CONNECTION_TIMEOUT_MS_DEFAULT,
                Range.between(1, 600_000),
                Importance.LOW,
                CONNECTION_TIMEOUT_MS_DOC,
                GROUP_ES,
                ++es,
                Width.SHORT,
                "Connection timeout (ms)");
        def.define(
                READ_TIMEOUT_MS,
                Type.INT,
                READ_TIMEOUT_MS_DEFAULT,
                Range.between(1, 3_600_000),
                Importance.LOW,
                READ_TIMEOUT_MS_DOC,
                GROUP_ES,
                ++es,
                Width.SHORT,
                "Read timeout (ms)");
        int bulk = 0;
        def.define(
                BULK_MAX_ACTIONS,
                Type.INT,
                BULK_MAX_ACTIONS_DEFAULT,
                Range.between(1, 100_000),
                Importance.MEDIUM,
                BULK_MAX_ACTIONS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Bulk max actions");
        def.define(
                BULK_MAX_BYTES,
                Type.LONG,
                BULK_MAX_BYTES_DEFAULT,
                Range.between(1024L, 100L * 1024 * 1024 - 1),
                Importance.MEDIUM,
                BULK_MAX_BYTES_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Bulk max bytes");
        def.define(
                BULK_LINGER_MS,
                Type.INT,
                BULK_LINGER_MS_DEFAULT,
                Range.between(0, 60_000),
                Importance.LOW,
                BULK_LINGER_MS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Bulk linger (ms)");
        def.define(
                MAX_IN_FLIGHT_REQUESTS,
                Type.INT,
                MAX_IN_FLIGHT_REQUESTS_DEFAULT,
                Range.between(1, 64),
                Importance.MEDIUM,
                MAX_IN_FLIGHT_REQUESTS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Max in-flight bulk requests");
        def.define(
                BUFFER_MAX_RECORDS,
                Type.INT,
                BUFFER_MAX_RECORDS_DEFAULT,
                Range.between(1, 10_000_000),
                Importance.MEDIUM,
                BUFFER_MAX_RECORDS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Buffer max records");
        def.define(
                BUFFER_MAX_BYTES,
                Type.LONG,
                BUFFER_MAX_BYTES_DEFAULT,
                Range.atLeast(1024L),
                Importance.MEDIUM,
                BUFFER_MAX_BYTES_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Buffer max bytes");
        def.define(
                RETRY_BACKOFF_INITIAL_MS,
                Type.LONG,
                RETRY_BACKOFF_INITIAL_MS_DEFAULT,
                Range.between(1L, 3_600_000L),
                Importance.LOW,
                RETRY_BACKOFF_INITIAL_MS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Initial retry backoff (ms)");
        def.define(
                RETRY_BACKOFF_MAX_MS,
                Type.LONG,
                RETRY_BACKOFF_MAX_MS_DEFAULT,
                Range.between(1L, 3_600_000L),
                Importance.LOW,
                RETRY_BACKOFF_MAX_MS_DOC,
                GROUP_BULK,
                ++bulk,
                Width.SHORT,
                "Max retry backoff (ms)");
        int idx = 0;
        def.define(
                LOGS_TOPIC,
                Type.STRING,
                LOGS_TOPIC_DEFAULT,
                ConfigDef.NonEmptyStringWithoutControlChars.nonEmptyStringWithoutControlChars(),
                Importance.MEDIUM,
                LOGS_TOPIC_DOC,
                GROUP_INDICES,
                ++idx,
                Width.MEDIUM,
                "Logs topic");
        def.define(
                SPANS_TOPIC,
                Type.STRING,
                SPANS_TOPIC_DEFAULT,
                ConfigDef.NonEmptyStringWithoutControlChars.nonEmptyStringWithoutControlChars(),
                Importance.MEDIUM,
                SPANS_TOPIC_DOC,
                GROUP_INDICES,
                ++idx,
                Width.MEDIUM,
                "Spans topic");
        def.define(
                LOGS_INDEX_PREFIX,
                Type.STRING,
                LOGS_INDEX_PREFIX_DEFAULT,
                new IndexPrefix(),
                Importance.MEDIUM,
                LOGS_INDEX_PREFIX_DOC,
                GROUP_INDICES,
                ++idx,
                Width.MEDIUM,
                "Logs index prefix");
        def.define(
                SPANS_INDEX_PREFIX,
                Type.STRING,
                SPANS_INDEX_PREFIX_DEFAULT,
                new IndexPrefix(),
                Importance.MEDIUM,
                SPANS_INDEX_PREFIX_DOC,
                GROUP_INDICES,
                ++idx,
                Width.MEDIUM,
                "Spans index prefix");
        def.define(
                INDEX_SHARDS,
                Type.INT,
                INDEX_SHARDS_DEFAULT,
                Range.between(1, 1024),
                Importance.LOW,
                INDEX_SHARDS_DOC,
                GROUP_INDICES,
                ++idx,
                Width.SHORT,
                "Shards per daily index");
        def.define(
                INDEX_REPLICAS,
                Type.INT,
                INDEX_REPLICAS_DEFAULT,
                Range.between(0, 16),
                Importance.LOW,
                INDEX_REPLICAS_DOC,
                GROUP_INDICES,
                ++idx,
                Width.SHORT,
                "Replicas per daily index");
        def.define(
                RETENTION_DAYS,
                Type.INT,
                RETENTION_DAYS_DEFAULT,
                Range.between(0, 36_500),
                Importance.MEDIUM,
                RETENTION_DAYS_DOC,
                GROUP_INDICES,
                ++idx,
                Width.SHORT,
                "Retention (days)");
        def.define(
                RETENTION_INTERVAL_MS,
                Type.LONG,
                RETENTION_INTERVAL_MS_DEFAULT,
                Range.between(1_000L, 7L * 24 * 3_600_000),
                Importance.LOW,
                RETENTION_INTERVAL_MS_DOC,
                GROUP_INDICES,
                ++idx,
                Width.SHORT,
                "Retention check interval (ms)");
        return def;
    }

    SinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
        List<Problem> problems = crossCheck(props);
        if (!problems.isEmpty()) {
            Problem first = problems.get(0);
            throw new ConfigException(first.key() + ": " + first.message());
        }
    }

    /** A problem between settings, reported on {@code key}. */
    record Problem(String key, String message) {}

    /**
     * Checks between settings that one validator cannot see. Only looks at values that parse (the per-key
     * validators report the others).
     */
    static List<Problem> crossCheck(Map<?, ?> props) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> v;
        try {
            v = CONFIG_DEF.parse(props);
        } catch (ConfigException e) {
            return problems;
        }
        long initial = (Long) v.get(RETRY_BACKOFF_INITIAL_MS);
        long max = (Long) v.get(RETRY_BACKOFF_MAX_MS);
        if (max < initial) {
            problems.add(new Problem(
                    RETRY_BACKOFF_MAX_MS, "must be at least " + RETRY_BACKOFF_INITIAL_MS + " (" + initial + ")"));
        }
        String logs = (String) v.get(LOGS_INDEX_PREFIX);
        String spans = (String) v.get(SPANS_INDEX_PREFIX);
        if ((logs + "-").startsWith(spans + "-") || (spans + "-").startsWith(logs + "-")) {
            problems.add(new Problem(
                    SPANS_INDEX_PREFIX, "the index patterns " + logs + "-* and " + spans + "-* must not overlap"));
        }
        String logsTopic = (String) v.get(LOGS_TOPIC);
        String spansTopic = (String) v.get(SPANS_TOPIC);
        if (logsTopic.equals(spansTopic)) problems.add(new Problem(SPANS_TOPIC, "must differ from " + LOGS_TOPIC));
        Object topics = props.get(SinkTask.TOPICS_CONFIG);
        if (topics != null) {
            List<String> names;
            try {
                @SuppressWarnings("unchecked")
                List<String> parsed = (List<String>) ConfigDef.parseType(SinkTask.TOPICS_CONFIG, topics, Type.LIST);
                names = parsed;
            } catch (ConfigException e) {
                names = List.of();
            }
            for (String topic : names) {
                if (!topic.equals(logsTopic) && !topic.equals(spansTopic)) {
                    problems.add(new Problem(
                            LOGS_TOPIC,
                            "topics has " + topic + ", which is neither " + LOGS_TOPIC + " (" + logsTopic + ") nor "
                                    + SPANS_TOPIC + " (" + spansTopic + ")"));
                }
            }
        }
        String user = (String) v.get(USERNAME);
        Password password = (Password) v.get(PASSWORD);
        if (user.isEmpty() != password.value().isEmpty()) {
            problems.add(new Problem(USERNAME, USERNAME + " and " + PASSWORD + " go together"));
        }
        return problems;
    }

    List<URI> urls() {
        return getList(URLS).stream().map(s -> URI.create(s.trim())).toList();
    }

    String username() {
        return getString(USERNAME);
    }

    Password password() {
        return getPassword(PASSWORD);
    }

    int connectionTimeoutMs() {
        return getInt(CONNECTION_TIMEOUT_MS);
    }

    int readTimeoutMs() {
        return getInt(READ_TIMEOUT_MS);
    }

    Indexer.Limits limits() {
        return new Indexer.Limits(
                getInt(BULK_MAX_ACTIONS),
                getLong(BULK_MAX_BYTES),
                getInt(BULK_LINGER_MS),
                getInt(MAX_IN_FLIGHT_REQUESTS),
                getInt(BUFFER_MAX_RECORDS),
                getLong(BUFFER_MAX_BYTES));
    }

    Backoff backoff() {
        return new Backoff(getLong(RETRY_BACKOFF_INITIAL_MS), getLong(RETRY_BACKOFF_MAX_MS));
    }

    String logsTopic() {
        return getString(LOGS_TOPIC);
    }

    String spansTopic() {
        return getString(SPANS_TOPIC);
    }

    IndexNames logsIndices() {
        return new IndexNames(getString(LOGS_INDEX_PREFIX));
    }

    IndexNames spansIndices() {
        return new IndexNames(getString(SPANS_INDEX_PREFIX));
    }

    int shards() {
        return getInt(INDEX_SHARDS);
    }

    int replicas() {
        return getInt(INDEX_REPLICAS);
    }

    int retentionDays() {
        return getInt(RETENTION_DAYS);
    }

    long retentionIntervalMs() {
        return getLong(RETENTION_INTERVAL_MS);
    }

    int taskIndex() {
        return getInt(TASK_INDEX);
    }

    /** A non-empty list of http(s) URLs with a host and nothing after the port but an optional "/". */
    static final class UrlList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) value;
            if (urls == null || urls.isEmpty()) throw new ConfigException(name, value, "at least one URL is needed");
            for (String url : urls) {
                String problem = problem(url.trim());
                if (problem != null) throw new ConfigException(name, redact(url.trim()), problem);
            }
        }

        /** The URL without what may be credentials, for error messages. */
        static String redact(String url) {
            int at = url.lastIndexOf('@');
            if (at < 0) return url;
            int scheme = url.indexOf("://");
            return (scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "") + "***" + url.substring(at);
        }

        private static String problem(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                return "not a URL: " + e.getReason();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return "must start with http:// or https://";
            if (uri.getHost() == null || uri.getHost().isEmpty()) return "has no host";
            if (uri.getUserInfo() != null) return "credentials go in " + USERNAME + " and " + PASSWORD;
            String path = uri.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/")) return "must not have a path";
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) return "must not have a query or fragment";
            return null;
        }

        @Override
        public String toString() {
            return "http(s)://host[:port], comma separated";
        }
    }

    /** What may start an Elasticsearch index name (lower case, none of \ / * ? " < > | , # or spaces). */
    static final class IndexPrefix implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = (String) value;
            if (s == null || !INDEX_PREFIX.matcher(s).matches()) {
                throw new ConfigException(
                        name, value, "lower-case letters, digits and _ . + - only, starting with a letter or digit");
            }
            if (s.length() > 200) throw new ConfigException(name, value, "at most 200 characters");
        }

        @Override
        public String toString() {
            return "[a-z0-9][a-z0-9_.+-]*";
        }
    }
}
