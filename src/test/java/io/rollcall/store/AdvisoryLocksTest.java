package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** No two concerns share an advisory lock key, and every lock takes its key from {@link AdvisoryLocks}. */
class AdvisoryLocksTest {

    private static final Pattern LITERAL_KEY = Pattern.compile("pg_advisory\\w*\\(\\s*\\d");

    @Test
    void everyKeyIsDistinct() throws IllegalAccessException {
        Map<Integer, String> concerns = new HashMap<>();
        List<String> shared = new ArrayList<>();
        for (Field field : AdvisoryLocks.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                String other = concerns.putIfAbsent(field.getInt(null), field.getName());
                if (other != null) {
                    shared.add(field.getName() + " and " + other);
                }
            }
        }
        assertTrue(concerns.size() >= 5, "the keys are found: " + concerns);
        assertEquals(List.of(), shared, "concerns sharing a key");
    }

    @Test
    void noLockStatementWritesItsKeyInline() throws IOException {
        List<String> inline = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    if (LITERAL_KEY.matcher(lines.get(i)).find()) {
                        inline.add(source + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), inline, "advisory lock keys belong in AdvisoryLocks");
    }
}
