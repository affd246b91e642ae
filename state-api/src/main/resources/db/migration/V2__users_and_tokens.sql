-- Users, the keys that sign their access tokens, and their refresh tokens (package auth, ADR 024).

-- A user: username unique whatever its case; the password only as a bcrypt hash.
CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  username      text        NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  password_hash text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_unique ON users (lower(username));

-- ES256 signing keys shared by every instance: the newest unretired one signs; a retired one still verifies
-- until the tokens it signed have expired, then leaves the JWKS.
CREATE TABLE signing_keys (
  kid         text        PRIMARY KEY,
  private_jwk text        NOT NULL,
  public_jwk  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);
CREATE INDEX signing_keys_newest ON signing_keys (created_at DESC) WHERE retired_at IS NULL;

-- Refresh tokens, only as SHA-256 of the token. Each use revokes the token and issues the next one of its family;
-- using a revoked one revokes the whole family (someone else holds a copy).
CREATE TABLE refresh_tokens (
  token_hash  bytea       PRIMARY KEY,
  user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id   uuid        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
