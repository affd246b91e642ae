package io.logflow.api.search;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.logflow.model.elastic.Es8Compat;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The server's one Elasticsearch client (elasticsearch-java, asynchronous), made on first use: a server whose
 * Elasticsearch is down or not configured starts, and only search answers 503. Every call goes through {@link
 * #call}, which turns "Elasticsearch is not there" (connection refused, timeouts, 429, 5xx) into {@link
 * SearchUnavailable} and lets Elasticsearch's own 4xx answers through for the caller to explain.
 */
@Component
class Elastic implements DisposableBean {
    private final SearchProperties settings;
    private Rest5Client rest;
    private ElasticsearchAsyncClient client;

    Elastic(SearchProperties settings) {
        this.settings = settings;
    }

    SearchProperties settings() {
        return settings;
    }

    /** A search over the logs alias, answering "no hits" while no daily index exists yet (before the first log). */
    SearchRequest.Builder onLogs(SearchRequest.Builder s) {
        return s.index(settings.logsAlias()).ignoreUnavailable(true).allowNoIndices(true);
    }

    /** A search over the spans alias, as {@link #onLogs}. */
    SearchRequest.Builder onSpans(SearchRequest.Builder s) {
        return s.index(settings.spansAlias()).ignoreUnavailable(true).allowNoIndices(true);
    }

    <T> Mono<T> call(Function<ElasticsearchAsyncClient, CompletableFuture<T>> request) {
        return Mono.defer(() -> Mono.fromFuture(request.apply(client()))).onErrorMap(Elastic::classify);
    }

    /** What a failed call means for the caller: a 4xx stays an {@link ElasticsearchException}, the rest is "down". */
    static Throwable classify(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null)
            t = t.getCause();
        if (t instanceof SearchUnavailable) return t;
        if (t instanceof ElasticsearchException ee) {
            int status = ee.status();
            if (status >= 400 && status < 500 && status != 429) return ee;
            return new SearchUnavailable("Elasticsearch (search) answered " + status + ": "
                    + ee.error().type());
        }
        String what = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return new SearchUnavailable("Elasticsearch (search) is unavailable: " + what);
    }

    private synchronized ElasticsearchAsyncClient client() {
        if (client != null) return client;
        if (settings.url() == null || settings.url().isBlank())
            throw new SearchUnavailable("search is off: no Elasticsearch configured (set ELASTICSEARCH_URL)");
        URI url;
        try {
            url = URI.create(settings.url().strip());
        } catch (IllegalArgumentException e) {
            throw new SearchUnavailable("ELASTICSEARCH_URL is not a URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null)
            throw new SearchUnavailable("ELASTICSEARCH_URL must be http://host:port or https://host:port");
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 9200;
        Timeout connect = Timeout.ofSeconds(2);
        Timeout read = Timeout.ofMilliseconds(settings.timeout().toMillis());
        Es8Compat compat = new Es8Compat(); // Elasticsearch 8.x as well as 9.x
        var builder = Rest5Client.builder(new HttpHost(scheme, url.getHost(), port))
                .setConnectionConfigCallback(c -> c.setConnectTimeout(connect).setSocketTimeout(read))
                .setRequestConfigCallback(r -> r.setResponseTimeout(read))
                .setHttpClientConfigCallback(compat::addTo);
        if (url.getRawUserInfo() != null) {
            String credentials = URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
            builder.setDefaultHeaders(new Header[] {
                new BasicHeader(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
            });
        }
        rest = builder.build();
        client = new ElasticsearchAsyncClient(
                compat.gate(rest, new Rest5ClientTransport(rest, new JacksonJsonpMapper())));
        return client;
    }

    @Override
    public synchronized void destroy() throws IOException {
        if (rest != null) rest.close();
    }
}
