/**
 * PostgreSQL through R2DBC: the connection factory from {@code DATABASE_URL} or the settings, and
 * the schema migrations run at start. Uses {@code config}.
 */
package io.logflow.api.db;
