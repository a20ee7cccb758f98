package io.rollcall.scim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request bodies kept as files: those under {@code /fixtures/writes/}, and any other test resource by its path, each
 * {@code {{name}}} replaced by the text given (JSON included); a placeholder without a value fails the test.
 */
final class WriteFixtures {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9]+)}}");

    private WriteFixtures() {
    }

    static String fixture(String name, Map<String, String> values) {
        return resource("/fixtures/writes/" + name, values);
    }

    /** @param path the resource's path from the class-path root, e.g. {@code /idp/okta/01-create-user.json} */
    static String resource(String path, Map<String, String> values) {
        String name = path;
        String text;
        try (InputStream in = WriteFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + path);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("Fixture " + name + " needs a value for {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String fixture(String name) {
        return fixture(name, Map.of());
    }
}
