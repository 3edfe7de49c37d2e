package dev.cairn.store.sql;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * PostgreSQL: {@code postgresql://user:pass@host:port/db?sslmode=require} (also {@code postgres://})
 * and {@code jdbc:postgresql://host:port/db?user=…&password=…}.
 */
public final class PostgresMetadataStoreProvider implements MetadataStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public MetadataStore open(String uri, String defaultArtifactRoot) {
        Target target = target(uri);
        Database database = Database.postgresql(target.jdbcUrl(), target.user(), target.password());
        return JdbcMetadataStore.open(database, target.displayUri(), defaultArtifactRoot);
    }

    /** Where to connect, and the URI to show (with the password removed). */
    public record Target(String jdbcUrl, String user, String password, String displayUri) {}

    public static Target target(String uri) {
        if (uri.startsWith("jdbc:postgresql:")) {
            String display = uri.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
            return new Target(uri, null, null, display);
        }
        String rest;
        if (uri.startsWith("postgresql://")) {
            rest = uri.substring("postgresql://".length());
        } else if (uri.startsWith("postgres://")) {
            rest = uri.substring("postgres://".length());
        } else {
            throw CairnException.invalid("store_uri", uri, "postgresql://user:password@host:port/database");
        }
        URI parsed;
        try {
            parsed = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw CairnException.invalid("store_uri", redact(uri), "postgresql://user:password@host:port/database");
        }
        if (parsed.getHost() == null) {
            throw CairnException.invalid("store_uri", redact(uri), "a host, as in postgresql://user:password@host:port/database");
        }
        String user = null;
        String password = null;
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
        }
        String hostPort = parsed.getHost() + (parsed.getPort() > 0 ? ":" + parsed.getPort() : "");
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        String query = parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery();
        String jdbcUrl = "jdbc:postgresql://" + hostPort + path + query;
        String display = "postgresql://" + (user != null ? user + "@" : "") + hostPort + path + query;
        return new Target(jdbcUrl, user, password, display);
    }

    private static String redact(String uri) {
        return uri.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
