package io.logflow.api.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the UI. Spring Boot's own static mappings are off ({@code spring.web.resources.add-mappings=false}), so
 * only these paths serve files: {@code /}, {@code /docs}, {@code /openapi.yaml} (routes in {@code Routes}),
 * {@code /ui/**} and {@code /webjars/**}.
 */
@Configuration(proxyBeanMethods = false)
public class UiResources implements WebFluxConfigurer {
    private final String dir;
    static final String CSP = "Content-Security-Policy";
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private final Map<String, String> policies = new ConcurrentHashMap<>();

    UiResources(@Value("${logflow.ui.dir:}") String dir) {
        this.dir = dir == null || dir.isBlank() ? null : dir.endsWith("/") ? dir : dir + "/";
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        var ui = registry.addResourceHandler("/ui/**");
        if (dir != null) ui.addResourceLocations("file:" + dir + "ui/");
        ui.addResourceLocations("classpath:/static/ui/")
                .setCacheControl(CacheControl.noCache())
                .setUseLastModified(dir != null)
                .setEtagGenerator(dir != null ? null : this::etag);
    }

    /** {@code GET /}: the page, revalidated on every load. */
    public Mono<ServerResponse> index(ServerRequest req) {
        return file(req, "index.html", MediaType.TEXT_HTML);
    }

    /** {@code GET /docs}: swagger-ui (from its WebJar) showing {@code /openapi.yaml}. */
    public Mono<ServerResponse> docs(ServerRequest req) {
        return file(req, "docs.html", MediaType.TEXT_HTML);
    }

    /** {@code GET /openapi.yaml}: the API's OpenAPI document, written by hand beside the route table. */
    public Mono<ServerResponse> openapi(ServerRequest req) {
        return file(req, "openapi.yaml", YAML);
    }

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

    /** A file of {@code static/}, revalidated on every load (by its ETag from the jar). */
    private Mono<ServerResponse> file(ServerRequest req, String name, MediaType type) {
        Resource page = dir != null ? new FileSystemResource(dir + name) : new ClassPathResource("static/" + name);
        var ok = ServerResponse.ok().contentType(type).cacheControl(CacheControl.noCache());
        // on the exchange, so a 304 carries it too: a browser stores a revalidation's headers with the cached page
        if (type.isCompatibleWith(MediaType.TEXT_HTML))
            req.exchange().getResponse().getHeaders().set(CSP, policy(page));
        if (dir != null) return ok.bodyValue(page);
        String etag = etag(page);
        // Spring's conditional request handling: If-None-Match lists, weak comparison and * (RFC 9110), 304
        return req.checkNotModified(etag)
                .switchIfEmpty(Mono.defer(() -> ok.eTag(etag).bodyValue(page)));
    }

    /** A page's {@link PagePolicy}: once per file in the jar, on every load of one from {@code logflow.ui.dir}. */
    private String policy(Resource page) {
        if (dir != null) return PagePolicy.contentSecurityPolicy(text(page));
        return policies.computeIfAbsent(page.getDescription(), k -> PagePolicy.contentSecurityPolicy(text(page)));
    }

    private static String text(Resource r) {
        try (InputStream in = r.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A strong validator of a file in the jar: the hash of its bytes, computed once. */
    private String etag(Resource r) {
        String key = r.getDescription();
        return etags.computeIfAbsent(key, k -> {
            try (InputStream in = r.getInputStream()) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
                return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
