/**
 * PostgreSQL through R2DBC: the connection factory from {@code DATABASE_URL} or the settings, and
 * the schema migrations run at start, and what counts as PostgreSQL being down ({@code PostgresDown}: a 503
 * of the routes that need it). Uses {@code config} and {@code web}.
 */
package io.logflow.api.db;
