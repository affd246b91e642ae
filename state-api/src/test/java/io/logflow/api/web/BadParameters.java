package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Asserts the 400 of a malformed parameter, for tests outside this package ({@link ApiException#parameter} is
 * package-private).
 */
public final class BadParameters {
    private BadParameters() {}

    /** {@code call} throws a 400 {@link ApiException} naming {@code parameter}, in its field and in its detail. */
    public static void assertBadParameter(ThrowingCallable call, String parameter) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status.value()).isEqualTo(400);
            assertThat(e.parameter).isEqualTo(parameter);
            assertThat(e.getMessage()).contains("'" + parameter + "'");
        });
    }
}
