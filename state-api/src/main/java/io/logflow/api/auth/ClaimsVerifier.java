package io.logflow.api.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.logflow.api.auth.TokenCheck.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Nimbus's claims check with exactly one issuer and audience and every claim LogFlow signs required; a refusal
 * carries which rule failed, found by looking at the claims again (nimbus says it only in its message).
 */
final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    /** The claims of a user's token (an access token or a stream ticket). */
    static final Set<String> REQUIRED =
            Set.of("iss", "aud", "sub", "preferred_username", "role", "iat", "nbf", "exp", "jti");

    /** The claims of an instance's cluster token: who it is, nothing about users. */
    static final Set<String> REQUIRED_CLUSTER = Set.of("iss", "aud", "sub", "iat", "nbf", "exp", "jti");

    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final Set<String> required;

    /** A claims check that failed, and why. */
    static final class Rejected extends BadJWTException {
        final Reason reason;

        Rejected(Reason reason, BadJWTException cause) {
            super(reason + ": " + cause.getMessage(), cause);
            this.reason = reason;
        }
    }

    ClaimsVerifier(String issuer, String audience, Clock clock) {
        this(issuer, audience, REQUIRED, clock);
    }

    ClaimsVerifier(String issuer, String audience, Set<String> required, Clock clock) {
        super(Set.of(audience), new JWTClaimsSet.Builder().issuer(issuer).build(), required, null);
        this.issuer = issuer;
        this.audience = audience;
        this.required = required;
        this.clock = clock;
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        try {
            super.verify(claims, context);
        } catch (BadJWTException e) {
            throw new Rejected(reason(claims), e);
        }
    }

    private Reason reason(JWTClaimsSet claims) {
        if (!claims.getClaims().keySet().containsAll(required)) return Reason.MISSING_CLAIMS;
        if (!issuer.equals(claims.getIssuer())) return Reason.WRONG_ISSUER;
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) return Reason.WRONG_AUDIENCE;
        Instant now = clock.instant();
        long skew = getMaxClockSkew();
        Date exp = claims.getExpirationTime();
        if (exp != null && !exp.toInstant().plusSeconds(skew).isAfter(now)) return Reason.EXPIRED;
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minusSeconds(skew).isAfter(now)) return Reason.NOT_YET_VALID;
        return Reason.BAD_CLAIMS;
    }
}
