/**
 * What LogFlow's two Elasticsearch clients share: {@link io.logflow.model.elastic.Es8Compat}, which lets the 9.x Java
 * client talk to Elasticsearch 8.x too (ADR 022). Used by the Connect sink ({@code connectors}) and the server's search
 * ({@code io.logflow.api.search}), which may not depend on each other.
 *
 * <p>May use: the JDK, Jackson, SLF4J and {@code elasticsearch-java} (an optional dependency of this module: whoever
 * uses this package declares the client). Nothing else of the model.
 */
package io.logflow.model.elastic;
