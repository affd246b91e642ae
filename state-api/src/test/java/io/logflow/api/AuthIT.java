package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.logflow.api.auth.AccessTokens;
import io.logflow.api.auth.AuthUser;
import io.logflow.api.auth.BearerAuth;
import io.logflow.api.auth.Housekeeping;
import io.logflow.api.auth.Passwords;
import io.logflow.api.auth.Role;
import io.logflow.api.auth.SigningKeys;
import io.logflow.api.auth.TokenCheck;
import io.logflow.api.auth.User;
import io.logflow.api.auth.UserStore;
import io.logflow.api.config.LogFlowProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Users and tokens against the real PostgreSQL: the first admin from LOGFLOW_ADMIN_PASSWORD (one instance) and from
 * a generated password file (another instance, its own empty database); login, refresh rotation and reuse, logout,
 * the JWKS, a second key source over the same database, key rotation.
 */
class AuthIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String ADMIN_PASSWORD = "it-admin-" + SUFFIX + "-long-enough";
    static final Duration T = Duration.ofSeconds(30);

    static Instance app;
    static Instance generated;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        // its own database: the shared one has an admin already when another IT's instance ran first
        app = Instance.start(
                "auth-it-" + SUFFIX,
                Map.of(
                        "logflow.database.url",
                        TestDatabase.another("pw"),
                        "logflow.auth.admin-password",
                        ADMIN_PASSWORD));
        passwordFile = Files.createTempDirectory("auth-it-").resolve("nested/admin-password");
        generated = Instance.start(
                "auth-it-gen-" + SUFFIX,
                Map.of(
                        "logflow.database.url", TestDatabase.another("gen"),
                        "logflow.auth.admin-password", "",
                        "logflow.auth.admin-password-file", passwordFile.toString()));
    }

    @AfterAll
    static void stop() {
        if (generated != null) generated.close();
        if (app != null) app.close();
    }

    @Test
    void theFirstAdmin_logsInWithLogflowAdminPassword_asJson() throws Exception {
        Instance.Response r = login(app, "admin", ADMIN_PASSWORD);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(900);
        assertThat(body.get("refresh_token").asString()).hasSize(43);
        assertThat(r.header("Cache-Control")).contains("no-store");
        JWTClaimsSet claims =
                SignedJWT.parse(body.get("access_token").asString()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("admin");
        assertThat(claims.getStringClaim("role")).isEqualTo("admin");
        // no password file when the password was given
        assertThat(Path.of(app.bean(LogFlowProperties.class)
                        .auth()
                        .adminPasswordFile()
                        .toString()))
                .doesNotExist();
    }

    @Test
    void login_acceptsTheOAuth2PasswordForm_andAnyCaseOfTheUsername() {
        Instance.Response r = app.post(
                "/api/v1/auth/login",
                "application/x-www-form-urlencoded",
                "username=ADMIN&password="
                        + java.net.URLEncoder.encode(ADMIN_PASSWORD, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("access_token").asString()).isNotBlank();
    }

    @Test
    void aWrongPasswordAndAnUnknownUser_getTheSame401() {
        Instance.Response wrong = login(app, "admin", "not-the-password-at-all");
        Instance.Response unknown = login(app, "nobody-" + SUFFIX, "not-the-password-at-all");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Content-Type")).startsWith("application/problem+json");
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(wrong.json().get("detail").asString()).isEqualTo("wrong username or password");
    }

    @Test
    void aPasswordBcryptCannotTake_is400NamingTheField() {
        Instance.Response r = login(app, "admin", "x".repeat(73));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
    }

    @Test
    void theGeneratedPasswordFile_isOwnerOnly_andLogsIn() throws Exception {
        assertThat(passwordFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                .isEqualTo("rw-------");
        String password = Files.readString(passwordFile).strip();
        assertThat(password.length()).isGreaterThanOrEqualTo(Passwords.MIN_CHARS);
        assertThat(login(generated, "admin", password).status()).isEqualTo(200);
        // another database's admin: this password is not app's
        assertThat(login(app, "admin", password).status()).isEqualTo(401);
    }

    @Test
    void refresh_rotates_andReusingAnOldTokenRevokesTheFamily() {
        String r1 =
                login(app, "admin", ADMIN_PASSWORD).json().get("refresh_token").asString();
        Instance.Response second = refresh(r1);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        String r2 = second.json().get("refresh_token").asString();
        assertThat(r2).isNotEqualTo(r1);
        assertThat(second.json().get("access_token").asString()).isNotBlank();
        String r3 = refresh(r2).json().get("refresh_token").asString();

        Instance.Response reuse = refresh(r1);
        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.header("Content-Type")).startsWith("application/problem+json");
        // the newest token of the family is revoked too: whoever stole r1 and whoever holds r3 must log in again
        assertThat(refresh(r3).status()).isEqualTo(401);
        assertThat(refresh("never-issued").status()).isEqualTo(401);
    }

    @Test
    void logout_revokesTheRefreshToken() {
        String r =
                login(app, "admin", ADMIN_PASSWORD).json().get("refresh_token").asString();
        assertThat(app.post("/api/v1/auth/logout", "application/json", "{\"refresh_token\":\"" + r + "\"}")
                        .status())
                .isEqualTo(204);
        assertThat(refresh(r).status()).isEqualTo(401);
        assertThat(app.post("/api/v1/auth/logout", "application/json", "{\"refresh_token\":\"unknown\"}")
                        .status())
                .isEqualTo(204);
    }

    @Test
    void theJwks_listsTheKey_andATokenVerifiesAgainstIt() throws Exception {
        String token = accessToken(app);
        Instance.Response r = app.get("/.well-known/jwks.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("\"d\"");
        JWKSet jwks = JWKSet.parse(r.body());
        String kid = SignedJWT.parse(token).getHeader().getKeyID();
        assertThat(jwks.getKeyByKeyId(kid)).isNotNull();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        assertThat(p.process(token, null).getStringClaim("preferred_username")).isEqualTo("admin");
    }

    @Test
    void aSecondKeySourceOverTheSameDatabase_verifiesATokenOfTheFirst() {
        String token = accessToken(app);
        SigningKeys other = new SigningKeys(app.bean(DatabaseClient.class), app.bean(LogFlowProperties.class));
        try {
            TokenCheck check = new AccessTokens(app.bean(LogFlowProperties.class), other).verify(token);
            assertThat(check).isInstanceOf(TokenCheck.Valid.class);
            // another deployment's keys (its own database) do not verify it
            assertThat(generated.bean(AccessTokens.class).verify(token))
                    .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.UNKNOWN_KID));
        } finally {
            other.destroy();
        }
    }

    @Test
    void afterAKeyRotation_anOldTokenStillVerifies_andNewTokensUseTheNewKey() throws Exception {
        String old = accessToken(generatedAdmin());
        String oldKid = SignedJWT.parse(old).getHeader().getKeyID();
        String newKid = generated.bean(SigningKeys.class).rotate().block(T);
        assertThat(newKid).isNotEqualTo(oldKid);

        assertThat(check(generated, old)).isInstanceOf(TokenCheck.Valid.class);
        String fresh = accessToken(generatedAdmin());
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(check(generated, fresh)).isInstanceOf(TokenCheck.Valid.class);
        JWKSet jwks = JWKSet.parse(generated.get("/.well-known/jwks.json").body());
        assertThat(jwks.getKeyByKeyId(oldKid)).isNotNull();
        assertThat(jwks.getKeyByKeyId(newKid)).isNotNull();
    }

    @Test
    void aDisabledUser_cannotLogIn_andItsTokenIsRefused() {
        UserStore users = app.bean(UserStore.class);
        String name = "viewer-" + SUFFIX;
        String password = "viewer-password-" + SUFFIX;
        User viewer = new User(
                UUID.randomUUID(),
                name,
                app.bean(Passwords.class).hash(password),
                Role.VIEWER,
                false,
                Instant.now(),
                Instant.now());
        assertThat(users.insert(viewer).block(T)).isTrue();
        // the username is unique whatever its case
        assertThat(users.insert(new User(
                                UUID.randomUUID(),
                                name.toUpperCase(java.util.Locale.ROOT),
                                viewer.passwordHash(),
                                Role.VIEWER,
                                false,
                                Instant.now(),
                                Instant.now()))
                        .block(T))
                .isFalse();
        Instance.Response ok = login(app, name, password);
        assertThat(ok.status()).isEqualTo(200);
        String token = ok.json().get("access_token").asString();
        assertThat(check(app, token)).isEqualTo(new TokenCheck.Valid(new AuthUser(viewer.id(), name, Role.VIEWER)));

        users.setDisabled(viewer.id(), true).block(T);
        assertThat(check(app, token)).isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.USER_DISABLED));
        Instance.Response refused = login(app, name, password);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body())
                .isEqualTo(login(app, "nobody-" + SUFFIX, password).body());
        String refreshToken = ok.json().get("refresh_token").asString();
        assertThat(refresh(refreshToken).status()).isEqualTo(401);
    }

    @Test
    void instancesCreatingTheFirstAdminAtOnce_createOne() throws Exception {
        DatabaseClient db = generated.bean(DatabaseClient.class);
        db.sql("DELETE FROM users WHERE role = 'admin'").then().block(T);
        Files.delete(passwordFile);
        // the start-up step of eight instances at once (its state is all in PostgreSQL and the file)
        ApplicationRunner firstAdmin = generated.context.getBean("firstAdmin", ApplicationRunner.class);
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    firstAdmin.run(null);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : runs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long admins = db.sql("SELECT count(*) AS n FROM users WHERE role = 'admin'")
                .map(r -> r.get("n", Long.class))
                .one()
                .block(T);
        assertThat(admins).isEqualTo(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                .isEqualTo("rw-------");
        assertThat(login(generated, "admin", readGenerated()).status()).isEqualTo(200);
    }

    static TokenCheck check(Instance instance, String token) {
        return instance.bean(BearerAuth.class).check("Bearer " + token).block(T);
    }

    static Instance generatedAdmin() {
        return generated;
    }

    static String accessToken(Instance instance) {
        String password = instance == app ? ADMIN_PASSWORD : readGenerated();
        Instance.Response r = login(instance, "admin", password);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asString();
    }

    static String readGenerated() {
        try {
            return Files.readString(passwordFile).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Instance.Response login(Instance instance, String username, String password) {
        return instance.post(
                "/api/v1/auth/login",
                "application/json",
                Instance.JSON.writeValueAsString(Map.of("username", username, "password", password)));
    }

    static Instance.Response refresh(String token) {
        return app.post(
                "/api/v1/auth/refresh",
                "application/json",
                Instance.JSON.writeValueAsString(Map.of("refresh_token", token)));
    }

    @Test
    void housekeeping_removesLongExpiredRefreshTokens_andLongRetiredKeys_only() {
        DatabaseClient db = app.bean(DatabaseClient.class);
        UUID admin = app.bean(UserStore.class).findByUsername("admin").block(T).id();
        Instant now = Instant.now();
        byte[] old = new byte[32];
        byte[] fresh = new byte[32];
        ThreadLocalRandom.current().nextBytes(old);
        ThreadLocalRandom.current().nextBytes(fresh);
        for (var row : List.of(Map.entry(old, now.minus(Duration.ofDays(2))), Map.entry(fresh, now.minusSeconds(60))))
            db.sql("INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) "
                            + "VALUES (:hash, :user, :family, :expires)")
                    .bind("hash", row.getKey())
                    .bind("user", admin)
                    .bind("family", UUID.randomUUID())
                    .bind("expires", row.getValue())
                    .then()
                    .block(T);
        String retiredKid = "retired-" + SUFFIX;
        var key = app.bean(SigningKeys.class).publicKeys().getKeys().get(0);
        db.sql("INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at, retired_at) "
                        + "VALUES (:kid, :jwk, :jwk, :created, :retired)")
                .bind("kid", retiredKid)
                .bind("jwk", key.toJSONString())
                .bind("created", now.minus(Duration.ofDays(3)))
                .bind("retired", now.minus(Duration.ofDays(2)))
                .then()
                .block(T);

        assertThat(app.bean(Housekeeping.class).sweep(now).block(T)).isGreaterThanOrEqualTo(2L);

        assertThat(count(db, "SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = :h", old))
                .isZero();
        assertThat(count(db, "SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = :h", fresh))
                .isEqualTo(1);
        assertThat(count(db, "SELECT count(*) AS n FROM signing_keys WHERE kid = :h", retiredKid))
                .isZero();
        assertThat(count(db, "SELECT count(*) AS n FROM signing_keys WHERE retired_at IS NULL", null))
                .isPositive();
        // and signing in still works
        assertThat(login(app, "admin", ADMIN_PASSWORD).status()).isEqualTo(200);
    }

    static long count(DatabaseClient db, String sql, Object h) {
        var spec = db.sql(sql);
        if (h != null) spec = spec.bind("h", h);
        return spec.map(r -> r.get("n", Long.class)).one().block(T);
    }
}
