package dev.cairn.features.online;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.Stores;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Opens online stores by URI scheme, as {@link Stores} does metadata stores; an unknown scheme's error lists the known ones. */
public final class OnlineStores {
    private OnlineStores() {}

    public static OnlineStore open(String uri) {
        if (uri == null || uri.isBlank()) {
            throw CairnException.invalid("online", uri, "an online store URI: sqlite:/path/online.db or redis://host:port");
        }
        Map<String, OnlineStoreProvider> providers = new TreeMap<>();
        for (OnlineStoreProvider p : ServiceLoader.load(OnlineStoreProvider.class, OnlineStores.class.getClassLoader())) {
            for (String scheme : p.schemes()) providers.putIfAbsent(scheme.toLowerCase(Locale.ROOT), p);
        }
        String scheme = Stores.scheme(uri);
        OnlineStoreProvider provider = scheme == null ? null : providers.get(scheme);
        if (provider == null) {
            String shown = redact(uri);
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value '" + shown + "' for 'online': "
                    + (scheme == null ? "no scheme" : "no online store is registered for scheme '" + scheme + "'")
                    + "; expected one of the schemes " + providers.keySet() + " (sqlite:/path/online.db, redis://host:port)",
                    Map.of("field", "online", "value", shown, "expected", "one of the schemes " + providers.keySet()));
        }
        return provider.open(uri);
    }

    /** A URI without the password of its user information. */
    static String redact(String uri) {
        return uri.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
    }
}
