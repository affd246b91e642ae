package io.logflow.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    @Test
    void categories_listEveryCategoryConstantOnce() throws IllegalAccessException {
        List<String> constants = new ArrayList<>();
        for (Field f : DeadLetters.class.getFields()) {
            if (f.getName().startsWith("CATEGORY_") && Modifier.isStatic(f.getModifiers()))
                constants.add((String) f.get(null));
        }
        assertThat(DeadLetters.CATEGORIES).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(constants);
    }
}
