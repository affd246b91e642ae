package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The hand-written OpenAPI document ({@code static/openapi.yaml}, shown at {@code /docs}) documents every public route
 * of {@code Routes.java} with its method, and nothing that is not routed. Read from the route table's source, so a
 * route added without its documentation fails here.
 */
class OpenApiDocTest {
    /** The UI's own pages, not the API; {@code /internal/**} is asked by other instances only. */
    static final Set<String> NOT_API = Set.of("/", "/docs", "/openapi.yaml");

    static final Pattern ROUTE = Pattern.compile("\\.(GET|POST|PUT|DELETE|PATCH)\\(\\s*([^,]+?),");
    static final Pattern PART = Pattern.compile("\"([^\"]*)\"|([A-Z][A-Za-z0-9]*)\\.([A-Z_][A-Z0-9_]*)");

    @Test
    void everyPublicRouteIsDocumentedAndEveryDocumentedPathIsRouted() throws Exception {
        Set<String> routed = routes();
        assertThat(routed).hasSizeGreaterThan(20).contains("GET /api/v1/metrics/overview");
        Set<String> documented = documented();
        assertThat(documented)
                .as("routes in Routes.java missing from openapi.yaml")
                .containsAll(routed);
        assertThat(routed)
                .as("paths in openapi.yaml that Routes.java does not route")
                .containsAll(documented);
    }

    @Test
    void theDocumentIsOpenApi31WithProblemJsonErrors() throws IOException {
        Map<String, Object> doc = load();
        assertThat(doc.get("openapi")).isEqualTo("3.1.0");
        assertThat(String.valueOf(doc.get("components"))).contains("application/problem+json");
    }

    /** "METHOD /path" of every public route, read from Routes.java's source. */
    static Set<String> routes() throws Exception {
        String src = Files.readString(Path.of("src/main/java/io/logflow/api/Routes.java"));
        Set<String> out = new TreeSet<>();
        Matcher m = ROUTE.matcher(src);
        while (m.find()) {
            StringBuilder path = new StringBuilder();
            Matcher p = PART.matcher(m.group(2));
            while (p.find()) path.append(p.group(1) != null ? p.group(1) : constant(src, p.group(2), p.group(3)));
            String route = path.toString();
            assertThat(route).as(m.group()).startsWith("/");
            if (NOT_API.contains(route) || route.startsWith("/internal/")) continue;
            out.add(m.group(1) + " " + route);
        }
        return out;
    }

    /** A constant such as {@code RulesHandler.BASE}, its class found from Routes.java's imports. */
    static String constant(String src, String simpleName, String field) throws Exception {
        Matcher imp = Pattern.compile("import ([\\w.]+\\." + simpleName + ");").matcher(src);
        assertThat(imp.find()).as("import of " + simpleName).isTrue();
        return (String) Class.forName(imp.group(1)).getField(field).get(null);
    }

    @SuppressWarnings("unchecked")
    static Set<String> documented() throws IOException {
        Set<String> out = new TreeSet<>();
        var paths = (Map<String, Map<String, Object>>) load().get("paths");
        paths.forEach((path, ops) -> ops.keySet().stream()
                .filter(k -> Set.of("get", "post", "put", "delete", "patch").contains(k))
                .forEach(k -> out.add(k.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        return out;
    }

    static Map<String, Object> load() throws IOException {
        try (InputStream in = OpenApiDocTest.class.getResourceAsStream("/static/openapi.yaml")) {
            assertThat(in).as("static/openapi.yaml").isNotNull();
            return new Yaml().load(in);
        }
    }
}
