package io.logflow.api.cluster;

import java.util.List;

/**
 * Implemented by each query component: the views it declares, so that {@link InternalHandler}
 * answers them for other instances without a route of their own.
 */
public interface QueryViews {
    List<View<?, ?>> views();
}
