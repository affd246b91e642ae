package io.logflow.api.auth;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code GET /.well-known/jwks.json}: the public keys that verify LogFlow's access tokens (RFC 7517). */
@Component
public class JwksHandler {
    public static final String PATH = "/.well-known/jwks.json";
    static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

    private final SigningKeys keys;

    JwksHandler(SigningKeys keys) {
        this.keys = keys;
    }

    public Mono<ServerResponse> jwks(ServerRequest req) {
        // only public keys: SigningKeys never puts a private one in this set, and toJSONObject(true) drops any
        return ServerResponse.ok()
                .contentType(JWK_SET)
                .cacheControl(CacheControl.maxAge(SigningKeys.REFRESH))
                .bodyValue(keys.publicKeys().toJSONObject(true));
    }
}
