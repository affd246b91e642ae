package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestedDocTest {
    private static final Path PAGE = Path.of("page.md");

    @Test
    void findsEveryMarkedBlock_withItsLanguageAndText_andIgnoresUnmarkedOnes() {
        TestedDoc doc = TestedDoc.parse(PAGE, """
        # Title
        ```bash
        echo not tested
        ```
        <!-- tested: env -->
        ```bash
        export A=1
        ```

        <!-- tested: lines -->
        ```json
        {"message":"a"}
        {"message":"b"}
        ```
        """);
        assertThat(doc.names()).containsExactly("env", "lines");
        assertThat(doc.block("env").language()).isEqualTo("bash");
        assertThat(doc.block("env").text()).isEqualTo("export A=1\n");
        assertThat(doc.block("lines").lines()).containsExactly("{\"message\":\"a\"}", "{\"message\":\"b\"}");
        assertThat(doc.block("lines").line()).isEqualTo(12);
    }

    @Test
    void refusesAMarkerWithoutABlock_anUnclosedBlock_aDuplicateName_andAnUnknownName() {
        assertThatThrownBy(() -> TestedDoc.parse(PAGE, "<!-- tested: a -->\ntext\n"))
                .hasMessageContaining("page.md:1")
                .hasMessageContaining("not followed");
        assertThatThrownBy(() -> TestedDoc.parse(PAGE, "<!-- tested: a -->\n```\nx\n"))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> TestedDoc.parse(PAGE, "<!-- tested: a -->\n```\n```\n<!-- tested: a -->\n```\n```\n"))
                .hasMessageContaining("second block");
        assertThatThrownBy(() -> TestedDoc.parse(PAGE, "").block("a")).hasMessageContaining("tested: a");
    }

    @Test
    void shell_joinsContinuedLines_dropsComments_andSplitsExportsFromCommands() {
        TestedDoc.Shell shell = TestedDoc.Shell.of("""
        # a comment
        export A=1 B='two words'
        export C="x\\"y"

        java -javaagent:agent.jar \\
          -jar app.jar
        """);
        assertThat(shell.exports()).isEqualTo(Map.of("A", "1", "B", "two words", "C", "x\"y"));
        assertThat(shell.commands()).containsExactly("java -javaagent:agent.jar -jar app.jar");
    }

    @Test
    void words_keepQuotedTextWhole_andSplitRedirections() {
        assertThat(TestedDoc.words("tool --topic logs < app.ndjson"))
                .containsExactly("tool", "--topic", "logs", "<", "app.ndjson");
        assertThat(TestedDoc.words("curl 'http://h/x?a=1&b=2' -H 'A: b c'"))
                .containsExactly("curl", "http://h/x?a=1&b=2", "-H", "A: b c");
        assertThat(TestedDoc.words("echo a=$HOME_1/x")).containsExactly("echo", "a=$HOME_1/x");
        assertThat(TestedDoc.words("curl -H \"A: Bearer $T\" x")).containsExactly("curl", "-H", "A: Bearer $T", "x");
        assertThatThrownBy(() -> TestedDoc.words("echo $(date)")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> TestedDoc.words("echo \"$(date)\"")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> TestedDoc.words("echo ${HOME}")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> TestedDoc.words("curl http://h/x?a=1&b=2")).hasMessageContaining("not supported");
    }

    @Test
    void curl_readsMethodHeadersDataAndUrl_andRefusesOptionsTheTestDoesNotRun() {
        TestedDoc.Curl post = TestedDoc.Curl.parse(
                "curl -s -X POST http://127.0.0.1:8080/api/v1/logs -H 'Content-Type: application/x-ndjson' "
                        + "--data-binary @app.ndjson");
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.url().getPath()).isEqualTo("/api/v1/logs");
        assertThat(post.headers()).isEqualTo(Map.of("Content-Type", "application/x-ndjson"));
        assertThat(post.body()).isEqualTo("@app.ndjson");

        TestedDoc.Curl get =
                TestedDoc.Curl.parse("curl -s 'http://127.0.0.1:8080/api/v1/logs/recent?service=billing&limit=20'");
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.query()).isEqualTo(Map.of("service", "billing", "limit", "20"));
        assertThat(TestedDoc.Curl.parse("curl -XPUT --data-binary x http://h/").method())
                .isEqualTo("PUT");
        assertThat(TestedDoc.Curl.parse("curl --data-binary x http://h/").method())
                .isEqualTo("POST");

        for (String refused : List.of(
                "curl -k http://h/",
                "curl http://h/ http://i/",
                "curl http://h/ | jq .",
                "curl -H",
                "wget http://h/")) {
            assertThatThrownBy(() -> TestedDoc.Curl.parse(refused))
                    .as(refused)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
