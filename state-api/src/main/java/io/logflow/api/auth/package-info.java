/**
 * Users and their tokens (ADR 024): users in PostgreSQL with bcrypt password hashes ({@code Passwords},
 * {@code UserStore}), the first admin at start ({@code FirstAdmin}), ES256 signing keys shared through PostgreSQL
 * and published as a JWKS ({@code SigningKeys}, {@code JwksHandler}), short-lived access tokens ({@code
 * AccessTokens}) and rotating refresh tokens in families ({@code RefreshTokens}), the login, refresh and logout
 * routes ({@code AuthHandler}), {@code BearerAuth}: an {@code Authorization: Bearer} header to the verified user or
 * a typed reason; users, {@code /me} and registration ({@code UsersHandler}), ingest tokens ({@code IngestTokens},
 * {@code TokensHandler}); and the enforcement (ADR 027): {@code Access} (who may call a method and path), {@code
 * Gate} (the one WebFilter that establishes the {@code Principal} or refuses), stream tickets and the cluster tokens
 * of {@code ClusterCredentials}. Uses {@code
 * config}, {@code web} and the {@code DatabaseClient} of {@code db}; nimbus-jose-jwt and spring-security-crypto only
 * (no Spring Security filter chain).
 */
package io.logflow.api.auth;
