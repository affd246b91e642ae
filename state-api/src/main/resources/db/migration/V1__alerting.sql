-- Alerting (ADR 009, ADR 010). Applied once, in a transaction, by io.logflow.api.Migrations.

-- Rules: the source of truth; logflow.alert-rules is their change stream. A deleted rule keeps its
-- row (deleted_at set) so that its tombstone can be published again at every start.
CREATE TABLE alert_rules (
  id         uuid        PRIMARY KEY,
  name       text        NOT NULL,
  active     boolean     NOT NULL,
  version    bigint      NOT NULL,
  owner      text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,
  rule       jsonb       NOT NULL -- the rule as RuleJson writes it (snake_case)
);
CREATE INDEX alert_rules_listed ON alert_rules (created_at) WHERE deleted_at IS NULL;

-- One row per alert occurrence (alert_id of logflow.alerts): FIRING inserts it, RESOLVED and
-- acknowledgements update it.
CREATE TABLE triggered_alerts (
  alert_id            text        PRIMARY KEY,
  rule_id             text        NOT NULL,
  rule_name           text        NOT NULL,
  severity            text        NOT NULL,
  service             text        NOT NULL,
  metric              text,
  condition           text,
  status              text        NOT NULL CHECK (status IN ('firing', 'acknowledged', 'resolved')),
  value               double precision,
  threshold           double precision,
  time_window_minutes integer,
  window_start        timestamptz,
  window_end          timestamptz,
  sample_trace_ids    text[]      NOT NULL DEFAULT '{}',
  reason              text,
  fired_at            timestamptz NOT NULL,
  acknowledged_at     timestamptz,
  acknowledged_by     text,
  resolved_at         timestamptz,
  resolved_by         text,
  resolve_reason      text,
  updated_at          timestamptz NOT NULL,
  event               jsonb       NOT NULL -- the first event stored for this alert, as received
);
CREATE INDEX triggered_alerts_newest ON triggered_alerts (fired_at DESC, alert_id);
CREATE INDEX triggered_alerts_by_status ON triggered_alerts (status, fired_at DESC);
CREATE INDEX triggered_alerts_by_rule ON triggered_alerts (rule_id, fired_at DESC);

-- One notification per alert event (FIRING, RESOLVED) to the rule's channel; claimed once, so a
-- replayed event never notifies twice. pending ones are driven by the instance holding the lease
-- and taken over by any instance once the lease has run out (restart, crash).
CREATE TABLE notifications (
  alert_id        text        NOT NULL,
  event           text        NOT NULL,
  channel         text        NOT NULL,
  url             text,
  body            text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (alert_id, event)
);
CREATE INDEX notifications_pending ON notifications (lease_until) WHERE status = 'pending';

-- Every delivery attempt.
CREATE TABLE notification_attempts (
  id            bigserial   PRIMARY KEY,
  alert_id      text        NOT NULL,
  event         text        NOT NULL,
  channel       text        NOT NULL,
  attempt       integer     NOT NULL,
  at            timestamptz NOT NULL,
  outcome       text        NOT NULL CHECK (outcome IN ('sent', 'failed')),
  http_status   integer,
  error         text,
  next_retry_at timestamptz,
  UNIQUE (alert_id, event, attempt)
);
