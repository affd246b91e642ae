package io.logflow.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The UI's page names only files that are served: its WebJar URLs match the WebJars on the classpath. */
class StaticUiTest {
    private static String read(String resource) throws IOException {
        try (InputStream in = StaticUiTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyWebJarUrlOfTheIndexPageIsOnTheClasspath() throws IOException {
        assertWebJarUrlsExist("/static/index.html", 4);
    }

    @Test
    void everyWebJarUrlOfTheDocsPageIsOnTheClasspath() throws IOException {
        assertWebJarUrlsExist("/static/docs.html", 2);
    }

    private static void assertWebJarUrlsExist(String page, int atLeast) throws IOException {
        String index = read(page);
        Matcher m = Pattern.compile("\"(/webjars/[^\"]+)\"").matcher(index);
        List<String> urls = new ArrayList<>();
        while (m.find()) urls.add(m.group(1));
        assertThat(urls).hasSizeGreaterThanOrEqualTo(atLeast);
        for (String url : urls)
            assertThat(StaticUiTest.class.getResource("/META-INF/resources" + url))
                    .as(url + " (a WebJar's version in " + page + " differs from the pom's?)")
                    .isNotNull();
    }

    @Test
    void everyModuleTheShellImportsExists() throws IOException {
        String app = read("/static/ui/app.js");
        Matcher m = Pattern.compile("import\\('\\./(views/[a-z-]+\\.js)'\\)").matcher(app);
        int views = 0;
        while (m.find()) {
            views++;
            assertThat(StaticUiTest.class.getResource("/static/ui/" + m.group(1)))
                    .as(m.group(1))
                    .isNotNull();
        }
        assertThat(views).isPositive();
    }
}
