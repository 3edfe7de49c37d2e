package dev.cairn.monitor.alert;

import dev.cairn.core.error.CairnException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where alert events are POSTed as JSON ({@link WebhookListener}), with extra request headers
 * (e.g. {@code Authorization}). Only http and https URLs with a host are accepted.
 */
public record Webhook(String url, Map<String, String> headers) {
    /** Headers Cairn sets itself, and those Java's HTTP client refuses to let a caller set. */
    static final Set<String> RESERVED_HEADERS = Set.of("content-type", "x-cairn-event-id", "connection", "content-length",
            "expect", "host", "upgrade");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public Webhook {
        checkUrl("url", url);
        Map<String, String> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                checkHeader("headers." + k, k, v);
                copy.put(k, v);
            });
        }
        headers = Collections.unmodifiableMap(copy);
    }

    public Webhook(String url) {
        this(url, Map.of());
    }

    /** Header values, and the path and query (which some services make the secret), are left out of logs. */
    @Override
    public String toString() {
        return "Webhook[url=" + redacted() + ", headers=" + headers.keySet() + "]";
    }

    /** The URL without path and query, for logs: {@code https://hooks.example.com/…}. */
    public String redacted() {
        URI u = uri();
        String rest = (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/")) && u.getRawQuery() == null ? "" : "/…";
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + rest;
    }

    public URI uri() {
        return URI.create(url);
    }

    static void checkUrl(String field, String url) {
        String expected = "an http or https URL with a host, e.g. http://localhost:9000/hooks/cairn";
        if (url == null || url.isBlank()) throw CairnException.invalid(field, url, expected);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CairnException.invalid(field, url, expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isBlank()) {
            throw CairnException.invalid(field, url, expected);
        }
    }

    static void checkHeader(String field, String name, String value) {
        if (name == null || !TOKEN.matcher(name).matches()) throw CairnException.invalid(field, name, "an HTTP header name");
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw CairnException.invalid(field, name, "a header other than " + RESERVED_HEADERS.stream().sorted().toList()
                    + " (set by Cairn or by the HTTP client)");
        }
        if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw CairnException.invalid(field, value == null ? null : "(hidden)", "a header value on one line");
        }
    }
}
