package io.logflow.infra.elasticsearch.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * The entitlement agent of the Elasticsearch distribution, which Maven Central does not publish. Elasticsearch loads it
 * into its own JVM at start ({@code -Des.entitlement.agentJar}) and names, as the agent's argument, the class whose
 * static {@code initialize(Instrumentation)} installs its entitlement checks; by then it has exported that class's
 * package to the agent's (unnamed) module.
 */
public final class EntitlementAgent {
    private static final String DEFAULT_INITIALIZATION =
            "org.elasticsearch.entitlement.initialization.EntitlementInitialization";

    private EntitlementAgent() {}

    public static void agentmain(String initializationClass, Instrumentation instrumentation) {
        String name = initializationClass == null || initializationClass.isBlank()
                ? DEFAULT_INITIALIZATION
                : initializationClass.trim();
        try {
            Class.forName(name).getMethod("initialize", Instrumentation.class).invoke(null, instrumentation);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Elasticsearch's entitlement initialization failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + name + ".initialize(Instrumentation)", e);
        }
    }
}
