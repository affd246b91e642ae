package io.logflow.model.elastic;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseListener;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets the 9.x client (elasticsearch-java 9.1.0 on Rest5Client) work against Elasticsearch 8.x as well as 9.x.
 *
 * <p>The client marks every typed request {@code Accept} and {@code Content-Type:
 * application/vnd.elasticsearch+json; compatible-with=9}, a constant taken from its own major version
 * ({@code ElasticsearchTransportBase.JSON_CONTENT_TYPE}; no option changes it). Elasticsearch 8 refuses that (400
 * {@code media_type_header_exception}); Elasticsearch 9 also accepts {@code compatible-with=8} (REST API
 * compatibility). So the server's major version is learnt once, with {@code GET /} ({@code version.number}) on the
 * low-level client, which sends no such header, before the first typed request ({@link #gate}: each waits, without
 * blocking a thread, until it is known; a failed attempt is made again by the next request). When it is 8, an
 * HttpCore5 request interceptor ({@link #addTo}, last of the client's) rewrites {@code compatible-with=9} to
 * {@code =8} in {@code Accept} and {@code Content-Type} of every request. HttpClient 5.6 has copied the body's content
 * type into a {@code Content-Type} header by then (HttpCore5's {@code RequestContent}, which adds it only when the
 * request has none): it is rewritten in place. Should it not be there yet, the interceptor sets it, rewritten, so
 * that {@code RequestContent} adds none later: either way there is exactly one {@code Content-Type}.
 *
 * <p>Against 9.x, and when the version cannot be read (a 4xx to {@code GET /}, say a user without the {@code
 * monitor} privilege; logged), nothing changes: requests go out exactly as the client writes them.
 *
 * <p>Both clients use it: the server's search ({@code io.logflow.api.search.Elastic}) and the Connect sink
 * ({@code io.logflow.connect.elasticsearch.ElasticsearchGateway}). It lives in the model, which both depend on, with
 * elasticsearch-java an optional dependency: a module that uses it declares the client itself.
 */
public final class Es8Compat implements HttpRequestInterceptor {
    private static final Logger log = LoggerFactory.getLogger(Es8Compat.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SENT = "compatible-with=9";
    static final String FOR_8 = "compatible-with=8";

    private volatile boolean eight;
    private CompletableFuture<Void> known; // guarded by this

    /** For {@code Rest5ClientBuilder.setHttpClientConfigCallback}: the rewrite, after the client's own interceptors. */
    public void addTo(HttpAsyncClientBuilder http) {
        http.addRequestInterceptorLast(this);
    }

    /** {@code transport}, whose requests wait until the server's version is known (asked once through {@code rest}). */
    public ElasticsearchTransport gate(Rest5Client rest, ElasticsearchTransport transport) {
        return new Gated(transport, () -> known(rest));
    }

    /** Whether requests are rewritten for Elasticsearch 8 (false until the version is known). */
    public boolean rewrites() {
        return eight;
    }

    private synchronized CompletableFuture<Void> known(Rest5Client rest) {
        if (known == null || known.isCompletedExceptionally()) known = ask(rest);
        return known;
    }

    private CompletableFuture<Void> ask(Rest5Client rest) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        rest.performRequestAsync(new Request("GET", "/"), new ResponseListener() {
            @Override
            public void onSuccess(Response response) { // Rest5Client: every status below 500, 4xx too
                try {
                    String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
                    answered(response.getStatusCode(), body);
                    done.complete(null);
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Exception e) {
                if (e instanceof ResponseException re && re.getResponse().getStatusCode() < 500)
                    onSuccess(re.getResponse());
                else done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Takes in the answer to {@code GET /}; throws when it is worth asking again (429), as for a 5xx. */
    void answered(int status, String body) throws IOException {
        if (status == 429) throw new IOException("Elasticsearch answered 429 to GET /");
        if (status >= 300) {
            eight = false;
            log.warn("Elasticsearch answered {} to GET /: its version is unknown, requests go out for 9.x", status);
        } else {
            learnt(major(body));
        }
    }

    void learnt(int major) {
        eight = major == 8;
        if (major == 0) log.warn("Elasticsearch's GET / has no version.number: requests go out for 9.x");
        else log.info("Elasticsearch {}.x: requests go out with {}", major, eight ? FOR_8 : "the client's headers");
    }

    /** The major version in a {@code GET /} answer ({@code version.number}, e.g. 8 of "8.19.0"); 0 if none. */
    static int major(String rootJson) throws IOException {
        String number = rootJson.isBlank()
                ? ""
                : JSON.readTree(rootJson).path("version").path("number").asString("");
        int dot = number.indexOf('.');
        try {
            return dot > 0 ? Integer.parseInt(number.substring(0, dot)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The media type for Elasticsearch 8: {@code compatible-with=9} becomes {@code =8}; anything else is kept. */
    static String rewrite(String mediaType) {
        return mediaType.replace(SENT, FOR_8);
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
        if (!eight) return;
        for (String name : new String[] {HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE}) {
            Header header = request.getFirstHeader(name);
            if (header != null && header.getValue().contains(SENT)) request.setHeader(name, rewrite(header.getValue()));
        }
        String type = entity == null ? null : entity.getContentType();
        if (type != null && type.contains(SENT) && !request.containsHeader(HttpHeaders.CONTENT_TYPE))
            request.setHeader(HttpHeaders.CONTENT_TYPE, rewrite(type));
    }

    /** A transport whose requests first wait for the version (at once, once it is known). */
    private record Gated(ElasticsearchTransport transport, Supplier<CompletableFuture<Void>> known)
            implements ElasticsearchTransport {
        @Override
        public <Q, R, E> R performRequest(Q request, Endpoint<Q, R, E> endpoint, TransportOptions options)
                throws IOException {
            known.get().join();
            return transport.performRequest(request, endpoint, options);
        }

        @Override
        public <Q, R, E> CompletableFuture<R> performRequestAsync(
                Q request, Endpoint<Q, R, E> endpoint, TransportOptions options) {
            return known.get().thenCompose(v -> transport.performRequestAsync(request, endpoint, options));
        }

        @Override
        public JsonpMapper jsonpMapper() {
            return transport.jsonpMapper();
        }

        @Override
        public TransportOptions options() {
            return transport.options();
        }

        @Override
        public void close() throws IOException {
            transport.close();
        }
    }
}
