package io.logflow.api.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code users}: usernames unique whatever their case (a unique index on {@code lower(username)}). */
@Component
public class UserStore {
    private static final String COLUMNS = "id, username, password_hash, role, disabled, created_at, updated_at";

    private final DatabaseClient db;
    /** Told the id of each user {@link #update} or {@link #delete} changed (BearerAuth forgets what it knew). */
    private final List<Consumer<UUID>> changed = new CopyOnWriteArrayList<>();

    public UserStore(DatabaseClient db) {
        this.db = db;
    }

    /** Calls {@code listener} with the id of every user this instance changes, once the change is stored. */
    void onChange(Consumer<UUID> listener) {
        changed.add(listener);
    }

    private void changed(UUID id) {
        changed.forEach(l -> l.accept(id));
    }

    /** The user of {@code username} in any case; empty when none. */
    public Mono<User> findByUsername(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower(:u)")
                .bind("u", username)
                .map(UserStore::user)
                .one();
    }

    public Mono<User> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map(UserStore::user)
                .one();
    }

    /** Inserts {@code u}; false when its username is taken (in any case). */
    public Mono<Boolean> insert(User u) {
        return bindAll(
                        db.sql("INSERT INTO users (" + COLUMNS + ") "
                                + "VALUES (:id, :username, :hash, :role, :disabled, :created, :updated) "
                                + "ON CONFLICT DO NOTHING"),
                        u)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    /**
     * Inserts {@code admin} only while no admin exists; false when one does or its username is taken. Two
     * instances starting at once both pass the {@code NOT EXISTS}, but the unique username lets only one insert.
     */
    Mono<Boolean> insertFirstAdmin(User admin) {
        return bindAll(
                        db.sql("INSERT INTO users (" + COLUMNS + ") "
                                + "SELECT :id, :username, :hash, :role, :disabled, :created, :updated "
                                + "WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin') "
                                + "ON CONFLICT DO NOTHING"),
                        admin)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    Mono<Boolean> adminExists() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS e")
                .map(r -> Boolean.TRUE.equals(r.get("e", Boolean.class)))
                .one();
    }

    /** Disables or enables a user; false when unknown. */
    public Mono<Boolean> setDisabled(UUID id, boolean disabled) {
        return db.sql("UPDATE users SET disabled = :d, updated_at = :now WHERE id = :id")
                .bind("d", disabled)
                .bind("now", Instant.now())
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1)
                .doOnNext(done -> changed(id));
    }

    /** Every user, oldest first. */
    public Flux<User> list() {
        return db.sql("SELECT " + COLUMNS + " FROM users ORDER BY created_at, lower(username)")
                .map(UserStore::user)
                .all();
    }

    /** Replaces a user's password hash; false when the user is unknown. */
    public Mono<Boolean> setPasswordHash(UUID id, String hash) {
        return db.sql("UPDATE users SET password_hash = :h, updated_at = :now WHERE id = :id")
                .bind("h", hash)
                .bind("now", Instant.now())
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    /**
     * Sets a user's role and whether it is disabled, unless that would leave no enabled admin; the user as changed,
     * or empty when it is unknown or was the last enabled admin ({@link #findById} tells which). The enabled admins
     * are locked ({@code FOR UPDATE}) while counted, so two admins demoting each other at once cannot both succeed:
     * the second waits for the first, and then counts without it.
     */
    public Mono<User> update(UUID id, Role role, boolean disabled) {
        boolean staysAdmin = role == Role.ADMIN && !disabled;
        return db.sql("UPDATE users SET role = :role, disabled = :d, updated_at = :now WHERE id = :id AND ("
                        + ":stays OR NOT (role = 'admin' AND NOT disabled) OR (SELECT count(*) FROM "
                        + "(SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE) AS admins) > 1) "
                        + "RETURNING " + COLUMNS)
                .bind("role", role.wire())
                .bind("d", disabled)
                .bind("now", Instant.now())
                .bind("id", id)
                .bind("stays", staysAdmin)
                .map(UserStore::user)
                .one()
                .doOnNext(u -> changed(u.id()));
    }

    Mono<Void> delete(UUID id) {
        return db.sql("DELETE FROM users WHERE id = :id").bind("id", id).then().doOnSuccess(done -> changed(id));
    }

    private static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, User u) {
        return spec.bind("id", u.id())
                .bind("username", u.username())
                .bind("hash", u.passwordHash())
                .bind("role", u.role().wire())
                .bind("disabled", u.disabled())
                .bind("created", u.createdAt())
                .bind("updated", u.updatedAt());
    }

    private static User user(io.r2dbc.spi.Readable r) {
        return new User(
                r.get("id", UUID.class),
                r.get("username", String.class),
                r.get("password_hash", String.class),
                Role.fromWire(r.get("role", String.class)),
                Boolean.TRUE.equals(r.get("disabled", Boolean.class)),
                r.get("created_at", Instant.class),
                r.get("updated_at", Instant.class));
    }
}
