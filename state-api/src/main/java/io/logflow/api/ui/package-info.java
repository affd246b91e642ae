/**
 * The web UI's files (ADR 023): {@code /} (the page), {@code /ui/**} (its ES modules and stylesheet, from {@code
 * static/} in the jar, or from a directory while developing: {@code logflow.ui.dir}) and {@code /webjars/**} (its
 * libraries). The page and modules are revalidated on every load (ETag); the WebJars, whose URLs carry their
 * version, are cached for a year. The pages carry a Content-Security-Policy that lets only their own scripts run
 * ({@code PagePolicy}). Uses {@code config} only; the UI itself talks to the API like any client.
 */
package io.logflow.api.ui;
