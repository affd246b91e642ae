-- Ingest tokens and the owners of alert rules (package auth, ADR 027).

-- An ingest token (a service-account token: it may only send logs, traces and metrics): only the SHA-256 of the
-- secret is kept. A live token's name is unique whatever its case; a revoked one keeps its row (and its name may be
-- taken again) so that the list still shows who made it and when it was last used.
CREATE TABLE ingest_tokens (
  id           uuid        PRIMARY KEY,
  name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  token_hash   bytea       NOT NULL UNIQUE,
  created_by   uuid        REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz, -- written at most once a minute per token and instance
  revoked_at   timestamptz
);
CREATE UNIQUE INDEX ingest_tokens_name_unique ON ingest_tokens (lower(name)) WHERE revoked_at IS NULL;

-- The user who created a rule: an editor may change only its own rules, an admin any. Rules created before this
-- migration have none and are admin-only. The text column owner keeps the username, as shown in the rule's JSON.
ALTER TABLE alert_rules ADD COLUMN owner_id uuid REFERENCES users (id) ON DELETE SET NULL;
