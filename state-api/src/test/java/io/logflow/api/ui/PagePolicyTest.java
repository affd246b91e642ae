package io.logflow.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pages' Content-Security-Policy: their inline scripts by hash (hashes from {@code openssl dgst -sha256}). */
class PagePolicyTest {
    @Test
    void eachInlineScriptIsAllowedByTheHashOfItsExactText() {
        String html = "<head><script type=\"importmap\">\n  {\"imports\":{}}\n</script>"
                + "<SCRIPT>window.x = 1;</SCRIPT><script type=\"module\" src=\"/ui/app.js\"></script></head>";
        assertThat(PagePolicy.inlineScriptHashes(html))
                .containsExactly(
                        "NvQcEZgq9Xbw+Flj4kbqIzRZpKfx7L4QTVRaU33PAfM=", "U1BU0BfAhaBREBgsEDDctSYokOF3U7hQUIj6mrtukfw=");
        assertThat(PagePolicy.contentSecurityPolicy(html))
                .contains("script-src 'self' 'sha256-NvQcEZgq9Xbw+Flj4kbqIzRZpKfx7L4QTVRaU33PAfM=' "
                        + "'sha256-U1BU0BfAhaBREBgsEDDctSYokOF3U7hQUIj6mrtukfw=';");
    }

    @Test
    void aScriptWithSrcIsNotHashed_andNothingElseIsAllowedToRun() {
        String csp = PagePolicy.contentSecurityPolicy("<script src=\"/ui/app.js\"></script>");
        assertThat(csp).contains("script-src 'self';");
        assertThat(csp).doesNotContain("unsafe-eval").doesNotContain("script-src 'self' 'unsafe-inline'");
        assertThat(csp)
                .contains("frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'", "base-uri 'none'");
    }

    @Test
    void theServedPagesInlineScriptsAreFound() throws IOException {
        // index.html: the import map and the error handler; docs.html: swagger-ui's start
        assertThat(PagePolicy.inlineScriptHashes(read("/static/index.html"))).hasSize(2);
        assertThat(PagePolicy.inlineScriptHashes(read("/static/docs.html"))).hasSize(1);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = PagePolicyTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
