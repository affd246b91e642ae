package io.logflow.connect.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's version and where the build put it, from {@code plugin.properties} (written by the build). */
final class Version {
    private Version() {}

    private static final Properties PLUGIN = load();

    static String get() {
        return PLUGIN.getProperty("version", "unknown");
    }

    /** The folder holding the plugin's folder: what goes on a Connect worker's {@code plugin.path}. */
    static String pluginPath() {
        return PLUGIN.getProperty("plugin.path");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("plugin.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no version then
        }
        return p;
    }
}
