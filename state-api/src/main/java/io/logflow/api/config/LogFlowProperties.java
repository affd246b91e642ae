package io.logflow.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every LogFlow setting. Defaults and environment-variable overrides live in {@code
 * application.properties}; the README lists them.
 */
@ConfigurationProperties("logflow")
public record LogFlowProperties(
        Kafka kafka,
        Streams streams,
        Ingest ingest,
        Otlp otlp,
        Tail tail,
        Query query,
        Database database,
        Alerts alerts,
        Auth auth,
        Cors cors,
        Cache cache,
        RateLimits rateLimits) {

    /**
     * @param bootstrapServers the Kafka cluster
     * @param topicPartitions partitions of the topics LogFlow creates
     * @param replicationFactor replication factor of the topics LogFlow creates
     */
    public record Kafka(String bootstrapServers, int topicPartitions, short replicationFactor) {}

    /**
     * @param applicationId shared by every instance of one LogFlow deployment
     * @param stateDir local state (RocksDB); one per instance
     * @param advertisedHost how other instances reach this one ({@code application.server} host)
     * @param threads stream threads
     * @param grace how long a 1-minute window accepts late logs
     * @param config extra Kafka Streams settings, passed through as they are
     */
    public record Streams(
            String applicationId,
            Path stateDir,
            String advertisedHost,
            int threads,
            Duration grace,
            Duration statsRetention,
            int recentLogsPerLevel,
            int maxLogsPerTrace,
            int maxSpansPerTrace,
            Duration traceRetention,
            Duration closeTimeout,
            Map<String, String> config) {
        public Streams {
            config = config == null ? Map.of() : Map.copyOf(config);
        }
    }

    /**
     * @param maxBodyBytes largest accepted request body of {@code POST /api/v1/logs}
     * @param lingerMs producer batching delay
     * @param batchBytes producer batch size
     * @param sendTimeout how long a request waits for Kafka to acknowledge its logs
     * @param stallTimeout how long records may wait with no acknowledgement before ingest answers 503 at once
     */
    public record Ingest(
            long maxBodyBytes,
            int lingerMs,
            int batchBytes,
            String compression,
            Duration sendTimeout,
            Duration stallTimeout) {}

    /**
     * @param maxBodyBytes largest accepted body of {@code POST /v1/traces} and {@code /v1/logs}, measured
     *     as received and again after gunzip; at most {@link io.logflow.model.schema.Topics#MAX_OTLP_RECORD_BYTES}
     *     (the accepted part of a request is produced as one Kafka record)
     */
    public record Otlp(long maxBodyBytes) {
        public Otlp {
            if (maxBodyBytes < 1 || maxBodyBytes > io.logflow.model.schema.Topics.MAX_OTLP_RECORD_BYTES) {
                throw new IllegalArgumentException("logflow.otlp.max-body-bytes must be between 1 and "
                        + io.logflow.model.schema.Topics.MAX_OTLP_RECORD_BYTES);
            }
        }
    }

    /**
     * @param maxClients concurrent live-tail connections per instance
     * @param clientBuffer events buffered per client before it is dropped as too slow
     * @param replayBuffer recent events kept in memory for resuming clients
     * @param replayBufferBytes bound on the memory those events hold
     * @param heartbeat interval of SSE heartbeat comments
     */
    public record Tail(
            int maxClients, int clientBuffer, int replayBuffer, long replayBufferBytes, Duration heartbeat) {}

    /**
     * @param timeout how long a query waits for another instance
     * @param retryAfter the Retry-After of a 503 while stores are not ready
     */
    public record Query(Duration timeout, Duration retryAfter) {}

    /**
     * @param url PostgreSQL: {@code postgresql://user:password@host:port/database} or {@code r2dbc:postgresql://…};
     *     the database is created on first start if missing
     * @param poolSize most connections this instance opens
     * @param connectTimeout how long connecting (and acquiring a pooled connection) may take
     */
    public record Database(String url, int poolSize, Duration connectTimeout) {}

    /**
     * @param notifyTimeout how long one webhook / Slack request may take
     * @param notifyConcurrency notification requests in flight at once (per instance)
     * @param notifySweep how often pending notifications whose owner went away are taken over
     * @param streamMaxClients concurrent {@code /api/v1/stream/alerts} clients per instance
     * @param streamClientBuffer alert events buffered per SSE client before it is dropped
     * @param streamHeartbeat SSE heartbeat interval of the alert stream
     * @param uiUrl where users open LogFlow's UI ({@code LOGFLOW_UI_URL}); notifications link to the alert's page
     *     there; blank: this instance's own address
     * @param webhookAllow comma-separated CIDR ranges, addresses and host names a webhook or Slack URL may reach
     *     although they are loopback, link-local, private, … ({@code LOGFLOW_WEBHOOK_ALLOW}, ADR 025); blank: none
     */
    public record Alerts(
            Duration notifyTimeout,
            int notifyConcurrency,
            Duration notifySweep,
            int streamMaxClients,
            int streamClientBuffer,
            Duration streamHeartbeat,
            String uiUrl,
            String webhookAllow) {}

    /**
     * Users and tokens ({@code auth}, ADR 024).
     *
     * @param issuer the {@code iss} of the access tokens this deployment signs and the only one it accepts
     * @param audience the {@code aud} of those tokens and the only one accepted
     * @param accessTtl how long an access token (JWT) is valid
     * @param refreshTtl how long a refresh token is valid; each use issues a new one with a new full lifetime
     * @param adminPassword the first admin's password ({@code LOGFLOW_ADMIN_PASSWORD}), used only when no admin
     *     exists; blank: a generated one is written to {@code adminPasswordFile}
     * @param adminPasswordFile where a generated first-admin password is written (owner-only), relative to the
     *     working directory unless absolute
     * @param registration who may create an account with {@code POST /api/v1/auth/register} ({@code
     *     LOGFLOW_REGISTRATION}): nobody but an admin (default), anyone (as a viewer), or anyone as a disabled viewer
     *     an admin enables
     * @param ingest whether {@code POST /api/v1/logs} and OTLP need an ingest token ({@code LOGFLOW_INGEST_AUTH})
     * @param prometheusOpen whether {@code /actuator/prometheus} answers without a token (as Grafana's {@code
     *     /metrics}); false: an admin only
     */
    public record Auth(
            String issuer,
            String audience,
            Duration accessTtl,
            Duration refreshTtl,
            String adminPassword,
            Path adminPasswordFile,
            Registration registration,
            IngestAuth ingest,
            boolean prometheusOpen) {
        /** {@code closed}, {@code open} or {@code approval}. */
        public enum Registration {
            CLOSED,
            OPEN,
            APPROVAL
        }

        /** {@code required} or {@code off}. */
        public enum IngestAuth {
            REQUIRED,
            OFF
        }

        /** The settings with the defaults of the three access switches (tests). */
        public Auth(
                String issuer,
                String audience,
                Duration accessTtl,
                Duration refreshTtl,
                String adminPassword,
                Path adminPasswordFile) {
            this(
                    issuer,
                    audience,
                    accessTtl,
                    refreshTtl,
                    adminPassword,
                    adminPasswordFile,
                    Registration.CLOSED,
                    IngestAuth.REQUIRED,
                    true);
        }

        // two constructors: say which one binds (without this, logflow.auth is not bound at all)
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Auth {
            if (issuer == null || issuer.isBlank()) throw new IllegalArgumentException("logflow.auth.issuer is blank");
            if (audience == null || audience.isBlank())
                throw new IllegalArgumentException("logflow.auth.audience is blank");
            if (accessTtl == null || accessTtl.isNegative() || accessTtl.isZero())
                throw new IllegalArgumentException("logflow.auth.access-ttl must be positive");
            if (refreshTtl == null || refreshTtl.compareTo(accessTtl) < 0)
                throw new IllegalArgumentException("logflow.auth.refresh-ttl must be at least logflow.auth.access-ttl");
            if (adminPasswordFile == null) adminPasswordFile = Path.of(".logflow", "admin-password");
            if (registration == null) registration = Registration.CLOSED;
            if (ingest == null) ingest = IngestAuth.REQUIRED;
        }

        /** Never the admin password. */
        @Override
        public String toString() {
            return "Auth[issuer=" + issuer + ", audience=" + audience + ", accessTtl=" + accessTtl + ", refreshTtl="
                    + refreshTtl + ", adminPassword=" + (adminPassword == null || adminPassword.isEmpty() ? "" : "***")
                    + ", adminPasswordFile=" + adminPasswordFile + ", registration=" + registration + ", ingest="
                    + ingest + ", prometheusOpen=" + prometheusOpen + "]";
        }
    }

    /**
     * @param origins the origins (e.g. {@code https://ops.example.com}) whose pages may call {@code /api/**} from a
     *     browser ({@code LOGFLOW_CORS_ORIGINS}); empty: no CORS headers at all, so browsers refuse cross-origin reads
     * @param maxAge how long a browser may cache a preflight's answer
     */
    public record Cors(java.util.List<String> origins, Duration maxAge) {}

    /**
     * The Redis cache of query answers ({@code cache}).
     *
     * @param url the Redis all instances share ({@code REDIS_URL}, e.g. {@code redis://127.0.0.1:6379}, {@code
     *     rediss://:password@host:6380/2}); blank: no cache
     * @param timeout how long one cache read or write may take before the answer is computed (or left uncached)
     * @param liveTtl how long an answer whose range reaches into the open minute (or a search) is reused
     * @param closedTtl how long an answer whose range ended in windows already closed is reused
     */
    public record Cache(String url, Duration timeout, Duration liveTtl, Duration closedTtl) {
        public Cache {
            if (url == null) url = "";
            atLeastOneMilli("timeout", timeout);
            atLeastOneMilli("live-ttl", liveTtl);
            atLeastOneMilli("closed-ttl", closedTtl);
        }

        private static void atLeastOneMilli(String name, Duration d) {
            if (d == null || d.toMillis() < 1)
                throw new IllegalArgumentException("logflow.cache." + name + " must be at least 1ms");
        }

        public boolean enabled() {
            return !url.isBlank();
        }

        /** The URL without its password, for logs. */
        @Override
        public String toString() {
            return "Cache[url=" + url.replaceFirst("//[^@/]*@", "//***@") + ", timeout=" + timeout + ", liveTtl="
                    + liveTtl + ", closedTtl=" + closedTtl + "]";
        }
    }

    /**
     * Rate limits per caller and endpoint group ({@code rate-limits}, issue 17), per instance. Each limit is {@code
     * <requests>/<period>}, e.g. {@code 20/1h}, {@code 600/1m}: that many requests per period, the period starting
     * anew (refilled) when it ends.
     *
     * @param enabled false: nothing is limited ({@code LOGFLOW_RATE_LIMITS_ENABLED}; the benchmark runs so)
     * @param login {@code POST /api/v1/auth/login} per client address
     * @param loginUsername {@code POST /api/v1/auth/login} per username, whatever the address
     * @param register {@code POST /api/v1/auth/register} per client address
     * @param search {@code GET /api/v1/logs/search} and {@code GET /api/v1/traces} per caller
     * @param read other {@code GET}/{@code HEAD} of {@code /api/**} per caller
     * @param write other {@code POST}/{@code PUT}/{@code PATCH}/{@code DELETE} of {@code /api/**} per caller
     * @param ingest {@code POST /api/v1/logs} and OTLP ({@code /v1/*}) per ingest token (per address without one)
     * @param trustedProxies CIDR ranges (or addresses) of reverse proxies whose {@code X-Forwarded-For} names the
     *     client; empty: the connection's address is the client, the header is ignored
     * @param maxKeys most limiters kept at once; beyond it new callers share one limiter per group
     */
    public record RateLimits(
            boolean enabled,
            Limit login,
            Limit loginUsername,
            Limit register,
            Limit search,
            Limit read,
            Limit write,
            Limit ingest,
            java.util.List<String> trustedProxies,
            int maxKeys) {
        public RateLimits {
            requireLimit("login", login);
            requireLimit("login-username", loginUsername);
            requireLimit("register", register);
            requireLimit("search", search);
            requireLimit("read", read);
            requireLimit("write", write);
            requireLimit("ingest", ingest);
            trustedProxies = trustedProxies == null
                    ? java.util.List.of()
                    : trustedProxies.stream()
                            .map(String::strip)
                            .filter(p -> !p.isEmpty())
                            .toList();
            if (maxKeys < 1) throw new IllegalArgumentException("logflow.rate-limits.max-keys must be at least 1");
        }

        private static void requireLimit(String name, Limit limit) {
            if (limit == null) throw new IllegalArgumentException("logflow.rate-limits." + name + " is missing");
        }

        /** The defaults of {@code application.properties} (the seed's table; tests). */
        public static RateLimits defaults() {
            return new RateLimits(
                    true,
                    Limit.of("20/1h"),
                    Limit.of("20/1h"),
                    Limit.of("10/1h"),
                    Limit.of("50/1m"),
                    Limit.of("600/1m"),
                    Limit.of("60/1m"),
                    Limit.of("20000/1m"),
                    java.util.List.of(),
                    100_000);
        }
    }

    /**
     * A rate limit: {@code permits} requests per {@code period}, written {@code <permits>/<period>} ({@code 20/1h},
     * {@code 50/1m}, {@code 5/30s}; a period without a number is one of it: {@code 20/h}).
     */
    public record Limit(int permits, Duration period) {
        public Limit {
            if (permits < 1) throw new IllegalArgumentException("a rate limit allows at least 1 request: " + permits);
            if (period == null || period.toMillis() < 1)
                throw new IllegalArgumentException("a rate limit's period is at least 1ms: " + period);
        }

        /** Parses {@code 20/1h}; Spring's binder calls it for a setting's text. */
        public static Limit of(String text) {
            String t = text == null ? "" : text.strip();
            int slash = t.indexOf('/');
            if (slash < 1 || slash == t.length() - 1)
                throw new IllegalArgumentException("a rate limit is <requests>/<period>, e.g. 20/1h: '" + text + "'");
            String period = t.substring(slash + 1).strip();
            if (!Character.isDigit(period.charAt(0))) period = "1" + period;
            try {
                return new Limit(
                        Integer.parseInt(t.substring(0, slash).strip()),
                        org.springframework.boot.convert.DurationStyle.SIMPLE.parse(period));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "a rate limit is <requests>/<period>, e.g. 20/1h: '" + text + "' (" + e.getMessage() + ")", e);
            }
        }

        /** As written: {@code 20/1h}. */
        @Override
        public String toString() {
            long ms = period.toMillis();
            String p = ms % 86_400_000 == 0
                    ? ms / 86_400_000 + "d"
                    : ms % 3_600_000 == 0
                            ? ms / 3_600_000 + "h"
                            : ms % 60_000 == 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
            return permits + "/" + p;
        }
    }
}
