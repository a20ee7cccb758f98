package io.rollcall.access;

/**
 * One atomic permission of the platform's closed catalogue, keyed {@code resource:action}.
 *
 * @param key         e.g. {@code campaigns:launch}
 * @param section     the heading it is listed under (console, admin API)
 * @param level       whether it applies to the whole organization or within a workspace
 * @param description what holding it lets a principal do
 */
public record Permission(String key, String section, Level level, String description) {

    public enum Level {
        ORG, WORKSPACE;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public String resource() {
        return key.substring(0, key.indexOf(':'));
    }

    public String action() {
        return key.substring(key.indexOf(':') + 1);
    }
}
