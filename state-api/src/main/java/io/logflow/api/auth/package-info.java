/**
 * Users and their tokens (ADR 024): users in PostgreSQL with bcrypt password hashes ({@code Passwords},
 * {@code UserStore}), the first admin at start ({@code FirstAdmin}), ES256 signing keys shared through PostgreSQL
 * and published as a JWKS ({@code SigningKeys}, {@code JwksHandler}), short-lived access tokens ({@code
 * AccessTokens}) and rotating refresh tokens in families ({@code RefreshTokens}), the login, refresh and logout
 * routes ({@code AuthHandler}), and {@code BearerAuth}: an {@code Authorization: Bearer} header to the verified user
 * or a typed reason, for the enforcing filter that comes next (ADR 016). It enforces nothing itself. Uses {@code
 * config}, {@code web} and the {@code DatabaseClient} of {@code db}; nimbus-jose-jwt and spring-security-crypto only
 * (no Spring Security filter chain).
 */
package io.logflow.api.auth;
