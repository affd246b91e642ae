package io.logflow.model.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.transport.ElasticsearchTransportBase;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.junit.jupiter.api.Test;

/**
 * The version read from {@code GET /} and the header rewrite, on requests as they reach the interceptor: with the
 * body's content type as a header already (what HttpClient 5.6 does, seen on the wire), or only on the body.
 */
class Es8CompatTest {
    /** What elasticsearch-java 9.x sends, as Accept and as the body's content type. */
    static final String CLIENT_TYPE = "application/vnd.elasticsearch+json; compatible-with=9";

    static final String FOR_8 = "application/vnd.elasticsearch+json; compatible-with=8";

    @Test
    void theClientStillSendsWhatIsRewritten() {
        // a client upgrade that changes the header would silently end the rewrite: this fails first
        assertThat(ElasticsearchTransportBase.JSON_CONTENT_TYPE).isEqualTo(CLIENT_TYPE);
    }

    @Test
    void major_isTheFirstNumberOfVersionNumber() throws Exception {
        assertThat(Es8Compat.major(root("8.19.0"))).isEqualTo(8);
        assertThat(Es8Compat.major(root("9.1.0"))).isEqualTo(9);
        assertThat(Es8Compat.major(root("8.19.0-SNAPSHOT"))).isEqualTo(8);
        assertThat(Es8Compat.major(root("10.0.0"))).isEqualTo(10);
        assertThat(Es8Compat.major(root("eight.1"))).isZero();
        assertThat(Es8Compat.major(root("8"))).isZero();
        assertThat(Es8Compat.major("{\"name\":\"n\",\"tagline\":\"You Know, for Search\"}"))
                .isZero();
        assertThat(Es8Compat.major("")).isZero();
    }

    @Test
    void answerToGetRoot_8IsRewritten_9And4xxAreNot_429IsAskedAgain() throws Exception {
        Es8Compat compat = new Es8Compat();
        compat.answered(200, root("8.19.0"));
        assertThat(compat.rewrites()).isTrue();
        compat.answered(200, root("9.1.0"));
        assertThat(compat.rewrites()).isFalse();
        // Rest5Client hands every status below 500 to onSuccess: a 403 (no monitor privilege) is "unknown", as 9.x
        for (int status : new int[] {401, 403, 404}) {
            Es8Compat c = new Es8Compat();
            c.answered(status, "{\"error\":{\"type\":\"security_exception\"},\"status\":" + status + "}");
            assertThat(c.rewrites()).as("after %d", status).isFalse();
        }
        assertThatThrownBy(() -> new Es8Compat().answered(429, "")).isInstanceOf(IOException.class);
    }

    @Test
    void rewrite_changesOnlyCompatibleWith9() {
        assertThat(Es8Compat.rewrite(CLIENT_TYPE)).isEqualTo(FOR_8);
        assertThat(Es8Compat.rewrite("application/vnd.elasticsearch+x-ndjson; compatible-with=9"))
                .isEqualTo("application/vnd.elasticsearch+x-ndjson; compatible-with=8");
        assertThat(Es8Compat.rewrite("application/json")).isEqualTo("application/json");
        assertThat(Es8Compat.rewrite(FOR_8)).isEqualTo(FOR_8);
    }

    @Test
    void against8_acceptAndOneContentTypeAreRewritten_whenTheContentTypeIsOnlyTheBodys() throws Exception {
        Es8Compat compat = new Es8Compat();
        compat.learnt(8);
        HttpRequest request = typedRequest();
        EntityDetails body = body(CLIENT_TYPE);

        compat.process(request, body, HttpCoreContext.create());
        RequestContent.INSTANCE.process(request, body, HttpCoreContext.create()); // what the connection adds

        assertThat(values(request, "Accept")).containsExactly(FOR_8);
        assertThat(values(request, "Content-Type")).containsExactly(FOR_8);
    }

    @Test
    void against8_aContentTypeHeaderIsRewrittenInPlace_asHttpClientHandsIt() throws Exception {
        Es8Compat compat = new Es8Compat();
        compat.learnt(8);
        HttpRequest request = typedRequest();
        request.addHeader("Content-Type", CLIENT_TYPE);
        EntityDetails body = body(CLIENT_TYPE);

        compat.process(request, body, HttpCoreContext.create());
        RequestContent.INSTANCE.process(request, body, HttpCoreContext.create());

        assertThat(values(request, "Accept")).containsExactly(FOR_8);
        assertThat(values(request, "Content-Type")).containsExactly(FOR_8);
    }

    @Test
    void against8_requestsWithoutTheHeaderAreLeftAlone() throws Exception {
        Es8Compat compat = new Es8Compat();
        compat.learnt(8);
        // the index templates: low-level, plain JSON
        HttpRequest put = new BasicHttpRequest("PUT", "/_index_template/logflow-logs");
        compat.process(put, body("application/json; charset=UTF-8"), HttpCoreContext.create());
        assertThat(put.getHeaders()).isEmpty();
        HttpRequest get = new BasicHttpRequest("GET", "/_cat/indices/logflow-logs-*");
        compat.process(get, null, HttpCoreContext.create());
        assertThat(get.getHeaders()).isEmpty();
    }

    @Test
    void against9_orBeforeTheVersionIsKnown_nothingChanges() throws Exception {
        for (int major : new int[] {-1, 9, 0}) {
            Es8Compat compat = new Es8Compat();
            if (major >= 0) compat.learnt(major);
            HttpRequest request = typedRequest();
            EntityDetails body = body(CLIENT_TYPE);

            compat.process(request, body, HttpCoreContext.create());
            RequestContent.INSTANCE.process(request, body, HttpCoreContext.create());

            assertThat(compat.rewrites()).as("major %d", major).isFalse();
            assertThat(values(request, "Accept")).as("major %d", major).containsExactly(CLIENT_TYPE);
            assertThat(values(request, "Content-Type")).as("major %d", major).containsExactly(CLIENT_TYPE);
        }
    }

    private static String root(String number) {
        return "{\"name\":\"n\",\"cluster_name\":\"c\",\"version\":{\"number\":\"" + number
                + "\",\"lucene_version\":\"9.12.2\"},\"tagline\":\"You Know, for Search\"}";
    }

    /** A request of the typed client: Accept set, the content type on the body. */
    private static HttpRequest typedRequest() {
        HttpRequest request = new BasicHttpRequest("POST", "/_bulk");
        request.addHeader("Accept", CLIENT_TYPE);
        request.addHeader("User-Agent", "elastic-java/9.1.0 (Java/17)");
        return request;
    }

    private static EntityDetails body(String contentType) {
        return new BasicEntityDetails(42, ContentType.parse(contentType));
    }

    private static List<String> values(HttpRequest request, String name) {
        return Arrays.stream(request.getHeaders(name)).map(Header::getValue).toList();
    }
}
