package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.logflow.api.auth.TokenCheck.Reason;
import io.logflow.api.config.LogFlowProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every way an access token must be refused, each with its own reason; the bad tokens are built with nimbus. */
class AccessTokensTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final LogFlowProperties.Auth SETTINGS = io.logflow.api.TestObjects.AUTH;
    static final ECKey KEY = SigningKeys.generate();
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final User ALICE = new User(
            UUID.fromString("00000000-0000-0000-0000-00000000a11c"),
            "alice",
            "$2a$10$hash",
            Role.EDITOR,
            false,
            NOW,
            NOW);

    final AccessTokens tokens =
            new AccessTokens(SETTINGS, () -> KEY, new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())), CLOCK);

    /** A token verified once is answered from memory until it expires, and refused from then on. */
    @Test
    void aVerifiedToken_isRememberedUntilItExpires_notAfter() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(NOW);
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        AccessTokens memo =
                new AccessTokens(SETTINGS, () -> KEY, new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())), moving);
        String token = memo.issue(ALICE).token();
        TokenCheck first = memo.verify(token);
        assertThat(first).isInstanceOf(TokenCheck.Valid.class);
        now.set(NOW.plus(Duration.ofMinutes(14)));
        assertThat(memo.verify(token)).isSameAs(first);
        now.set(NOW.plus(Duration.ofMinutes(16)));
        assertThat(memo.verify(token)).isEqualTo(rejected(Reason.EXPIRED));
        assertThat(memo.verify(token + "x")).isNotInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void anIssuedToken_verifies_withItsUserAndRole() {
        AccessTokens.Issued issued = tokens.issue(ALICE);
        assertThat(issued.ttl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(tokens.verify(issued.token()))
                .isEqualTo(new TokenCheck.Valid(new AuthUser(ALICE.id(), "alice", Role.EDITOR)));
    }

    @Test
    void anIssuedToken_carriesEveryClaim() throws Exception {
        SignedJWT jwt = SignedJWT.parse(tokens.issue(ALICE).token());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY.getKeyID());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo("logflow");
        assertThat(c.getAudience()).containsExactly("logflow-api");
        assertThat(c.getSubject()).isEqualTo(ALICE.id().toString());
        assertThat(c.getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(c.getStringClaim("role")).isEqualTo("editor");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(c.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(c.getJWTID()).isNotBlank();
    }

    @Test
    void algNone_isRefused() {
        String token = new PlainJWT(claims(b -> {})).serialize();
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.UNSUPPORTED_ALGORITHM));
    }

    @Test
    void hs256SignedWithThePublicKey_isRefused() throws Exception {
        // algorithm confusion: a verifier that took the key for an HMAC secret would accept this
        byte[] publicKey = KEY.toECPublicKey().getEncoded();
        String token = sign(new MACSigner(publicKey), JWSAlgorithm.HS256, KEY.getKeyID(), claims(b -> {}));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.UNSUPPORTED_ALGORITHM));
    }

    @Test
    void rs256_isRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID(KEY.getKeyID()).generate();
        String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, KEY.getKeyID(), claims(b -> {}));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.UNSUPPORTED_ALGORITHM));
    }

    @Test
    void anUnknownKid_isRefused() throws Exception {
        ECKey other = SigningKeys.generate();
        String token = sign(new ECDSASigner(other), JWSAlgorithm.ES256, other.getKeyID(), claims(b -> {}));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.UNKNOWN_KID));
    }

    @Test
    void aMissingKid_isRefused() throws Exception {
        String token = sign(new ECDSASigner(KEY), JWSAlgorithm.ES256, null, claims(b -> {}));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.MISSING_KID));
    }

    @Test
    void anotherKeyUnderOurKid_isRefused() throws Exception {
        ECKey attacker = SigningKeys.generate();
        String token = sign(new ECDSASigner(attacker), JWSAlgorithm.ES256, KEY.getKeyID(), claims(b -> {}));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void anExpiredToken_isRefused() throws Exception {
        String token =
                ours(claims(b -> b.issueTime(at(-3600)).notBeforeTime(at(-3600)).expirationTime(at(-600))));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.EXPIRED));
    }

    @Test
    void aTokenNotYetValid_isRefused() throws Exception {
        String token = ours(claims(b -> b.notBeforeTime(at(600)).expirationTime(at(1800))));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.NOT_YET_VALID));
    }

    @Test
    void anotherIssuer_isRefused() throws Exception {
        String token = ours(claims(b -> b.issuer("someone-else")));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.WRONG_ISSUER));
    }

    @Test
    void anotherAudience_isRefused() throws Exception {
        String token = ours(claims(b -> b.audience("another-api")));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.WRONG_AUDIENCE));
    }

    @Test
    void aMissingClaim_isRefused() throws Exception {
        String token = ours(claims(b -> b.jwtID(null)));
        assertThat(tokens.verify(token)).isEqualTo(rejected(Reason.MISSING_CLAIMS));
    }

    @Test
    void anUnknownRoleOrASubjectThatIsNoUserId_isRefused() throws Exception {
        assertThat(tokens.verify(ours(claims(b -> b.claim("role", "root"))))).isEqualTo(rejected(Reason.BAD_CLAIMS));
        assertThat(tokens.verify(ours(claims(b -> b.subject("alice"))))).isEqualTo(rejected(Reason.BAD_CLAIMS));
    }

    @Test
    void aTamperedPayload_isRefused() {
        String[] parts = tokens.issue(ALICE).token().split("\\.");
        String admin = claims(b -> b.claim("role", "admin")).toString();
        String forged = parts[0] + "." + Base64URL.encode(admin.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(tokens.verify(forged)).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void aTamperedSignature_isRefused() {
        String token = tokens.issue(ALICE).token();
        int i = token.lastIndexOf('.') + 10;
        char c = token.charAt(i) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, i) + c + token.substring(i + 1);
        assertThat(tokens.verify(forged)).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void somethingThatIsNoJwt_isRefused() {
        assertThat(tokens.verify("not-a-token")).isEqualTo(rejected(Reason.MALFORMED));
        assertThat(tokens.verify("")).isEqualTo(rejected(Reason.MALFORMED));
    }

    static TokenCheck rejected(Reason reason) {
        return new TokenCheck.Rejected(reason);
    }

    static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    /** The claims of a valid token for {@link #ALICE}, changed by {@code change}. */
    static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer("logflow")
                .audience("logflow-api")
                .subject(ALICE.id().toString())
                .claim("preferred_username", "alice")
                .claim("role", "editor")
                .issueTime(at(0))
                .notBeforeTime(at(0))
                .expirationTime(at(900))
                .jwtID(UUID.randomUUID().toString());
        change.accept(b);
        return b.build();
    }

    /** Signed with the real key and kid: only the claims are wrong. */
    static String ours(JWTClaimsSet claims) throws Exception {
        return sign(new ECDSASigner(KEY), JWSAlgorithm.ES256, KEY.getKeyID(), claims);
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void aStreamTicket_opensStreamsOnly_andAnAccessTokenIsNoTicket() {
        AuthUser alice = new AuthUser(ALICE.id(), "alice", Role.EDITOR);
        AccessTokens.Issued ticket = tokens.ticket(alice);
        assertThat(ticket.ttl()).isEqualTo(AccessTokens.TICKET_TTL);
        assertThat(tokens.verifyTicket(ticket.token())).isEqualTo(new TokenCheck.Valid(alice));
        assertThat(tokens.verify(ticket.token())).isEqualTo(TokenCheck.rejected(Reason.WRONG_AUDIENCE));
        assertThat(tokens.verifyTicket(tokens.issue(ALICE).token()))
                .isEqualTo(TokenCheck.rejected(Reason.WRONG_AUDIENCE));
        assertThat(tokens.verifyCluster(ticket.token())).isNull();
    }

    @Test
    void aClusterToken_namesItsInstance_andIsRefusedAsAUsersToken() {
        String cluster = tokens.clusterToken("instance-1").token();
        assertThat(tokens.verifyCluster(cluster)).isEqualTo("instance-1");
        assertThat(tokens.verify(cluster)).isInstanceOf(TokenCheck.Rejected.class);
        assertThat(tokens.verifyTicket(cluster)).isInstanceOf(TokenCheck.Rejected.class);
        assertThat(tokens.verifyCluster(tokens.issue(ALICE).token())).isNull();
        assertThat(tokens.verifyCluster("not a jwt")).isNull();
    }

    @Test
    void aClusterToken_signedByAnotherKey_isRefused() {
        ECKey other = SigningKeys.generate();
        AccessTokens foreign =
                new AccessTokens(SETTINGS, () -> other, new ImmutableJWKSet<>(new JWKSet(other.toPublicJWK())), CLOCK);
        assertThat(tokens.verifyCluster(foreign.clusterToken("intruder").token()))
                .isNull();
    }
}
