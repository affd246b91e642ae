package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import io.logflow.model.elastic.Es8Compat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * The task's Elasticsearch, through elasticsearch-java: bulk requests on the typed async client, and the few calls
 * whose bodies we write ourselves (index templates, listing and deleting daily indices) on its low-level REST
 * client, so the exact JSON reaches the server. Elasticsearch 8.x and 9.x: see {@link Es8Compat}.
 */
final class ElasticsearchGateway implements SearchBackend {
    private final Rest5Client rest;
    private final ElasticsearchAsyncClient client;
    private final List<IndexTemplates.Template> templates;

    ElasticsearchGateway(Rest5Client rest, Es8Compat compat, List<IndexTemplates.Template> templates) {
        this.rest = requireNonNull(rest, "rest");
        this.client = new ElasticsearchAsyncClient(
                compat.gate(rest, new Rest5ClientTransport(rest, new JacksonJsonpMapper())));
        this.templates = List.copyOf(templates);
    }

    static ElasticsearchGateway connect(SinkConfig config) {
        List<IndexTemplates.Template> templates = List.of(
                IndexTemplates.logs(config.logsIndices(), config.shards(), config.replicas()),
                IndexTemplates.spans(config.spansIndices(), config.shards(), config.replicas()));
        Es8Compat compat = new Es8Compat();
        return new ElasticsearchGateway(restClient(config, compat), compat, templates);
    }

    /** The low-level client; {@code compat} makes its requests acceptable to Elasticsearch 8 too. */
    static Rest5Client restClient(SinkConfig config, Es8Compat compat) {
        List<HttpHost> hosts = new ArrayList<>();
        for (URI url : config.urls()) {
            String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
            int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
            hosts.add(new HttpHost(scheme, url.getHost(), port));
        }
        Timeout connect = Timeout.ofMilliseconds(config.connectionTimeoutMs());
        Timeout read = Timeout.ofMilliseconds(config.readTimeoutMs());
        Rest5ClientBuilder builder = Rest5Client.builder(hosts.toArray(HttpHost[]::new))
                .setConnectionConfigCallback(c -> c.setConnectTimeout(connect).setSocketTimeout(read))
                .setRequestConfigCallback(r -> r.setResponseTimeout(read))
                .setHttpClientConfigCallback(compat::addTo);
        if (!config.username().isEmpty()) {
            String credentials = config.username() + ":" + config.password().value();
            builder.setDefaultHeaders(new Header[] {
                new BasicHeader(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
            });
        }
        return builder.build();
    }

    /** Installs (or replaces) the index templates; existing daily indices keep the mappings they were made with. */
    @Override
    public void prepare() throws IOException {
        for (IndexTemplates.Template t : templates) {
            Request put = new Request("PUT", "/_index_template/" + t.name());
            put.setJsonEntity(t.json());
            checked(rest.performRequest(put), "PUT _index_template/" + t.name());
        }
    }

    @Override
    public CompletionStage<BulkResponse> bulk(List<Documents.Doc> docs) {
        BulkRequest.Builder request = new BulkRequest.Builder();
        for (Documents.Doc d : docs) {
            BinaryData source = BinaryData.of(d.source(), ContentType.APPLICATION_JSON);
            request.operations(op -> op.index(i -> i.index(d.index()).id(d.id()).document(source)));
        }
        return client.bulk(request.build());
    }

    /** The names of the indices matching {@code pattern} (open or closed); none when nothing matches. */
    @Override
    public List<String> indices(String pattern) throws IOException {
        Request get = new Request("GET", "/_cat/indices/" + pattern);
        get.addParameter("h", "index");
        get.addParameter("expand_wildcards", "all");
        String body = checked(rest.performRequest(get), "GET _cat/indices");
        return body.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Deletes indices by name (never by pattern); one that is gone already is no error. */
    @Override
    public void delete(List<String> indices) throws IOException {
        if (indices.isEmpty()) return;
        Request delete = new Request("DELETE", "/" + String.join(",", indices));
        delete.addParameter("ignore_unavailable", "true");
        checked(rest.performRequest(delete), "DELETE " + String.join(",", indices));
    }

    /**
     * The body of a 2xx answer; an {@link IOException} with the status and Elasticsearch's reason otherwise.
     * Rest5Client, unlike the old RestClient, hands every status below 500 back as an answer, so a refused template (a
     * 400) or a missing privilege (a 403) would pass unnoticed: the daily indices would get dynamic mappings.
     */
    static String checked(Response response, String what) throws IOException {
        String body;
        try {
            body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
        } catch (ParseException e) {
            throw new IOException("unreadable answer to " + what, e);
        }
        return checked(response.getStatusCode(), body, what);
    }

    static String checked(int status, String body, String what) throws IOException {
        if (status >= 200 && status < 300) return body;
        String reason = body.length() > 500 ? body.substring(0, 500) + "…" : body;
        throw new IOException("Elasticsearch answered " + status + " to " + what + ": " + reason);
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
