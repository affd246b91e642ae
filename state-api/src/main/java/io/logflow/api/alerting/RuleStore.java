package io.logflow.api.alerting;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.RuleJson;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code alert_rules}: every rule as its {@link RuleJson} document (jsonb) plus the columns queries
 * need. A deleted rule keeps its row with {@code deleted_at} set — invisible to the API, its
 * tombstone republished at every start.
 */
@Component
class RuleStore {
    private final DatabaseClient db;

    RuleStore(DatabaseClient db) {
        this.db = db;
    }

    /** A rule row as republished at start: the rule, or null for a deleted one. */
    record Stored(String id, AlertRule rule) {}

    /** A rule with the id of the user who created it (null for rules older than V3: admin-only). */
    record Owned(AlertRule rule, UUID ownerId) {}

    /** Inserts a new rule of the user {@code ownerId} (null: nobody's, admin-only). */
    Mono<Void> insert(AlertRule r, UUID ownerId) {
        var spec = db.sql("INSERT INTO alert_rules "
                        + "(id, name, active, version, owner, owner_id, created_at, updated_at, rule) "
                        + "VALUES (:id, :name, :active, :version, :owner, :owner_id, :created, :updated, :rule)")
                .bind("id", UUID.fromString(r.id()))
                .bind("name", r.name())
                .bind("active", r.active())
                .bind("version", r.version())
                .bind("created", r.createdAt())
                .bind("updated", r.updatedAt())
                .bind("rule", Json.of(RuleJson.write(r)));
        spec = r.owner() == null ? spec.bindNull("owner", String.class) : spec.bind("owner", r.owner());
        spec = ownerId == null ? spec.bindNull("owner_id", UUID.class) : spec.bind("owner_id", ownerId);
        return spec.then();
    }

    /** Replaces the rule if it still has {@code expectedVersion}; false when it changed or was deleted meanwhile. */
    Mono<Boolean> replace(AlertRule r, long expectedVersion) {
        var spec = db.sql("UPDATE alert_rules SET name = :name, active = :active, version = :version, owner = :owner, "
                        + "updated_at = :updated, rule = :rule "
                        + "WHERE id = :id AND version = :expected AND deleted_at IS NULL")
                .bind("id", UUID.fromString(r.id()))
                .bind("name", r.name())
                .bind("active", r.active())
                .bind("version", r.version())
                .bind("updated", r.updatedAt())
                .bind("rule", Json.of(RuleJson.write(r)))
                .bind("expected", expectedVersion);
        spec = r.owner() == null ? spec.bindNull("owner", String.class) : spec.bind("owner", r.owner());
        return spec.fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<AlertRule> find(UUID id) {
        return db.sql("SELECT rule FROM alert_rules WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map(RuleStore::rule)
                .one();
    }

    /** A live rule with its owner's user id; empty when there is none. */
    Mono<Owned> findOwned(UUID id) {
        return db.sql("SELECT rule, owner_id FROM alert_rules WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map(row -> new Owned(rule(row), row.get("owner_id", UUID.class)))
                .one();
    }

    /**
     * The rule of an alert's {@code rule_id}, deleted or not (its alerts resolve after a delete); empty when unknown.
     */
    Mono<AlertRule> findForAlert(String ruleId) {
        UUID id;
        try {
            id = UUID.fromString(ruleId);
        } catch (IllegalArgumentException e) {
            return Mono.empty();
        }
        return db.sql("SELECT rule FROM alert_rules WHERE id = :id")
                .bind("id", id)
                .map(RuleStore::rule)
                .one();
    }

    /** Every rule, oldest first; {@code active} null for all. */
    Flux<AlertRule> list(Boolean active) {
        String sql = "SELECT rule FROM alert_rules WHERE deleted_at IS NULL"
                + (active == null ? "" : " AND active = :active") + " ORDER BY created_at, id";
        var spec = db.sql(sql);
        if (active != null) spec = spec.bind("active", active);
        return spec.map(RuleStore::rule).all();
    }

    /** Marks the rule deleted; false when there was none. */
    Mono<Boolean> delete(UUID id, Instant now) {
        return db.sql("UPDATE alert_rules SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    /** Every row, deleted ones as tombstones, for the republish at start. */
    Flux<Stored> all() {
        return db.sql("SELECT id, rule, deleted_at FROM alert_rules ORDER BY created_at, id")
                .map(row -> new Stored(
                        row.get("id", UUID.class).toString(),
                        row.get("deleted_at", Instant.class) == null ? rule(row) : null))
                .all();
    }

    private static AlertRule rule(Readable row) {
        return RuleJson.read(row.get("rule", Json.class).asArray());
    }
}
