package io.logflow.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.logflow.api.auth.TokenCheck.Reason;
import io.logflow.api.config.LogFlowProperties;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Access tokens: ES256 JWTs signed with the current {@link SigningKeys} key, with {@code iss}, {@code aud}, {@code
 * sub} (the user id), {@code preferred_username}, {@code role}, {@code iat}, {@code nbf}, {@code exp} and {@code
 * jti}. Verification accepts only ES256 with a known {@code kid}, exactly this issuer and audience, and every claim
 * present; each refusal has its own {@link Reason}. Whether the user is still enabled is {@link BearerAuth}'s part.
 */
@Component
public final class AccessTokens {
    static final JOSEObjectType TYPE = JOSEObjectType.JWT;

    private final LogFlowProperties.Auth settings;
    private final Supplier<ECKey> signer;
    private final JWKSource<SecurityContext> keys;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /** A signed token and how long it is valid. */
    public record Issued(String token, Duration ttl) {}

    @Autowired
    public AccessTokens(LogFlowProperties props, SigningKeys keys) {
        this(props.auth(), keys::signer, keys, Clock.systemUTC());
    }

    AccessTokens(
            LogFlowProperties.Auth settings, Supplier<ECKey> signer, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.signer = signer;
        this.keys = keys;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(settings.issuer(), settings.audience(), clock));
    }

    public Issued issue(User user) {
        ECKey key = signer.get();
        Instant now = clock.instant();
        Duration ttl = settings.accessTtl();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(user.id().toString())
                .claim("preferred_username", user.username())
                .claim("role", user.role().wire())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(key.getKeyID())
                        .type(TYPE)
                        .build(),
                claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token with key " + key.getKeyID(), e);
        }
        return new Issued(jwt.serialize(), ttl);
    }

    /**
     * Checks a token's form, algorithm, key, signature and claims (not its user). May block when the token names a
     * key this instance has not read yet: call it off the event loop.
     */
    public TokenCheck verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            return TokenCheck.rejected(Reason.MALFORMED);
        }
        // alg none (a PlainJWT) and encrypted tokens are not signed at all
        if (!(jwt instanceof SignedJWT signed)) return TokenCheck.rejected(Reason.UNSUPPORTED_ALGORITHM);
        if (!JWSAlgorithm.ES256.equals(signed.getHeader().getAlgorithm()))
            return TokenCheck.rejected(Reason.UNSUPPORTED_ALGORITHM);
        String kid = signed.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) return TokenCheck.rejected(Reason.MISSING_KID);
        try {
            if (keys.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null)
                    .isEmpty()) return TokenCheck.rejected(Reason.UNKNOWN_KID);
            return principal(processor.process(signed, null));
        } catch (ClaimsVerifier.Rejected e) {
            return TokenCheck.rejected(e.reason);
        } catch (BadJWSException e) {
            return TokenCheck.rejected(Reason.BAD_SIGNATURE);
        } catch (BadJOSEException | JOSEException e) {
            return TokenCheck.rejected(Reason.BAD_SIGNATURE);
        } catch (RuntimeException e) {
            return TokenCheck.rejected(Reason.MALFORMED);
        }
    }

    private static TokenCheck principal(JWTClaimsSet claims) {
        UUID id;
        try {
            id = UUID.fromString(claims.getSubject());
        } catch (IllegalArgumentException e) {
            return TokenCheck.rejected(Reason.BAD_CLAIMS);
        }
        Object username = claims.getClaim("preferred_username");
        Role role = Role.fromWire(String.valueOf(claims.getClaim("role")));
        if (!(username instanceof String name) || name.isBlank() || role == null)
            return TokenCheck.rejected(Reason.BAD_CLAIMS);
        return new TokenCheck.Valid(new AuthUser(id, name, role));
    }
}
