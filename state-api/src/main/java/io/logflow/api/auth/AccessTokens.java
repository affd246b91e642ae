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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Access tokens, stream tickets and cluster tokens: ES256 JWTs signed with the current {@link SigningKeys} key, with
 * {@code iss}, {@code aud}, {@code
 * sub} (the user id), {@code preferred_username}, {@code role}, {@code iat}, {@code nbf}, {@code exp} and {@code
 * jti}. Verification accepts only ES256 with a known {@code kid}, exactly this issuer and audience, and every claim
 * present; each refusal has its own {@link Reason}. Whether the user is still enabled is {@link BearerAuth}'s part.
 * The three kinds differ only in audience (ADR 027), so none is accepted where another is expected: a stream ticket
 * ({@code <audience>-stream}, 60 s) opens an SSE stream and nothing else, a cluster token ({@code
 * <audience>-cluster}, subject an instance id) is only for {@code /internal/**}.
 */
@Component
public final class AccessTokens {
    static final JOSEObjectType TYPE = JOSEObjectType.JWT;

    private final LogFlowProperties.Auth settings;
    private final Supplier<ECKey> signer;
    private final JWKSource<SecurityContext> keys;
    private final Clock clock;

    /**
     * Access tokens verified already, until they expire: the ECDSA signature check is the costly part of every
     * request, and a token that verified once verifies the same until then (its user is still asked each time, by
     * {@link BearerAuth}). Bounded: a full map is emptied.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    static final int MAX_VERIFIED = 10_000;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final DefaultJWTProcessor<SecurityContext> tickets;
    private final DefaultJWTProcessor<SecurityContext> cluster;

    /** How long a stream ticket opens a stream for: enough to make the request that uses it. */
    public static final Duration TICKET_TTL = Duration.ofSeconds(60);

    /** How long a cluster token is valid; an instance makes a new one well before. */
    static final Duration CLUSTER_TTL = Duration.ofMinutes(5);

    /** A signed token and how long it is valid. */
    public record Issued(String token, Duration ttl) {}

    @Autowired
    public AccessTokens(LogFlowProperties props, SigningKeys keys) {
        this(props.auth(), keys::signer, keys, Clock.systemUTC());
    }

    /** Tokens signed with {@code signer}'s key, checked against {@code keys} (tests build one without a database). */
    public AccessTokens(
            LogFlowProperties.Auth settings, Supplier<ECKey> signer, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.signer = signer;
        this.keys = keys;
        this.clock = clock;
        this.processor = processor(ClaimsVerifier.REQUIRED, settings.audience());
        this.tickets = processor(ClaimsVerifier.REQUIRED, streamAudience());
        this.cluster = processor(ClaimsVerifier.REQUIRED_CLUSTER, clusterAudience());
    }

    private DefaultJWTProcessor<SecurityContext> processor(java.util.Set<String> required, String audience) {
        var p = new DefaultJWTProcessor<SecurityContext>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        p.setJWTClaimsSetVerifier(new ClaimsVerifier(settings.issuer(), audience, required, clock));
        return p;
    }

    private String streamAudience() {
        return settings.audience() + "-stream";
    }

    private String clusterAudience() {
        return settings.audience() + "-cluster";
    }

    public Issued issue(User user) {
        return issue(new AuthUser(user.id(), user.username(), user.role()), settings.audience(), settings.accessTtl());
    }

    /** A stream ticket: what an {@code EventSource}, which cannot send headers, puts in {@code ?ticket=}. */
    public Issued ticket(AuthUser user) {
        return issue(user, streamAudience(), TICKET_TTL);
    }

    /** This instance's token for {@code /internal/**} calls to the others. */
    public Issued clusterToken(String instanceId) {
        return sign(claims(clusterAudience(), CLUSTER_TTL).subject(instanceId).build(), CLUSTER_TTL);
    }

    private Issued issue(AuthUser user, String audience, Duration ttl) {
        return sign(
                claims(audience, ttl)
                        .subject(user.id().toString())
                        .claim("preferred_username", user.username())
                        .claim("role", user.role().wire())
                        .build(),
                ttl);
    }

    private JWTClaimsSet.Builder claims(String audience, Duration ttl) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    private Issued sign(JWTClaimsSet claims, Duration ttl) {
        ECKey key = signer.get();
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
        Instant now = clock.instant();
        Verified memo = verified.get(token);
        if (memo != null) {
            if (now.isBefore(memo.expires())) return memo.check();
            verified.remove(token);
        }
        Checked c = checked(token, processor);
        if (c.check() instanceof TokenCheck.Valid valid && c.expires() != null && now.isBefore(c.expires())) {
            if (verified.size() >= MAX_VERIFIED) verified.clear();
            verified.put(token, new Verified(valid, c.expires()));
        }
        return c.check();
    }

    private record Verified(TokenCheck.Valid check, Instant expires) {}

    /** A check and, for a valid token, when it expires. */
    private record Checked(TokenCheck check, Instant expires) {}

    /** {@link #verify} for a stream ticket. */
    public TokenCheck verifyTicket(String token) {
        return verify(token, tickets);
    }

    /** The instance id of a valid cluster token, or null (the reason is not needed: no client is told). */
    public String verifyCluster(String token) {
        var check = check(token);
        if (check.rejected() != null) return null;
        try {
            String sub = cluster.process(check.jwt(), null).getSubject();
            return sub == null || sub.isBlank() ? null : sub;
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    /** A token parsed and its header checked (ES256, a known kid), or why not. */
    private record Parsed(SignedJWT jwt, TokenCheck rejected) {}

    private Parsed check(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            return rejected(Reason.MALFORMED);
        }
        // alg none (a PlainJWT) and encrypted tokens are not signed at all
        if (!(jwt instanceof SignedJWT signed)) return rejected(Reason.UNSUPPORTED_ALGORITHM);
        if (!JWSAlgorithm.ES256.equals(signed.getHeader().getAlgorithm()))
            return rejected(Reason.UNSUPPORTED_ALGORITHM);
        String kid = signed.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) return rejected(Reason.MISSING_KID);
        try {
            if (keys.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null)
                    .isEmpty()) return rejected(Reason.UNKNOWN_KID);
        } catch (RuntimeException | com.nimbusds.jose.KeySourceException e) {
            return rejected(Reason.UNKNOWN_KID);
        }
        return new Parsed(signed, null);
    }

    private static Parsed rejected(Reason reason) {
        return new Parsed(null, TokenCheck.rejected(reason));
    }

    private TokenCheck verify(String token, DefaultJWTProcessor<SecurityContext> processor) {
        return checked(token, processor).check();
    }

    private Checked checked(String token, DefaultJWTProcessor<SecurityContext> processor) {
        Parsed parsed = check(token);
        if (parsed.rejected() != null) return new Checked(parsed.rejected(), null);
        try {
            JWTClaimsSet claims = processor.process(parsed.jwt(), null);
            Date exp = claims.getExpirationTime();
            return new Checked(principal(claims), exp == null ? null : exp.toInstant());
        } catch (ClaimsVerifier.Rejected e) {
            return new Checked(TokenCheck.rejected(e.reason), null);
        } catch (BadJWSException e) {
            return new Checked(TokenCheck.rejected(Reason.BAD_SIGNATURE), null);
        } catch (BadJOSEException | JOSEException e) {
            return new Checked(TokenCheck.rejected(Reason.BAD_SIGNATURE), null);
        } catch (RuntimeException e) {
            return new Checked(TokenCheck.rejected(Reason.MALFORMED), null);
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
