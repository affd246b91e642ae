package io.logflow.api.db;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where PostgreSQL is: {@code DATABASE_URL} in the usual shapes — {@code postgresql://user:pass@host:port/db},
 * {@code postgres://…}, {@code r2dbc:postgresql://…} (also with {@code r2dbc:pool:}) — with optional
 * {@code ?sslmode=…&schema=…} parameters. User, password and port may be left out (postgres, none, 5432).
 */
public record DatabaseUrl(
        String host, int port, String user, String password, String database, Map<String, String> options) {
    static final int DEFAULT_PORT = 5432;
    static final String DEFAULT_USER = "postgres";

    public DatabaseUrl {
        requireNonNull(host, "host");
        requireNonNull(user, "user");
        requireNonNull(database, "database");
        options = Map.copyOf(options);
    }

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("DATABASE_URL is empty");
        String s = url.trim();
        for (String prefix : new String[] {"r2dbc:pool:", "r2dbc:", "jdbc:"}) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "DATABASE_URL is not a URL (postgresql://user:password@host:port/database): " + e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with postgresql:// (or r2dbc:postgresql://), got '" + redacted(url) + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank())
            throw new IllegalArgumentException("DATABASE_URL names no host: '" + redacted(url) + "'");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = DEFAULT_USER;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) password = decode(info.substring(colon + 1));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty()) database = "logflow";
        if (database.contains("/"))
            throw new IllegalArgumentException("DATABASE_URL's path must be one database name, got '" + database + "'");
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                options.put(
                        decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new DatabaseUrl(host, port, user, password, database, options);
    }

    /** The same server, another database (for creating this one). */
    public DatabaseUrl withDatabase(String other) {
        return new DatabaseUrl(host, port, user, password, other, options);
    }

    /** For log lines and error messages: never the password. */
    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }

    /** A DATABASE_URL as given, with any password replaced by ***. */
    static String redacted(String url) {
        return url == null ? null : url.replaceAll("(//[^:/@]+:)[^@/]*@", "$1***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
