package dev.cairn.features.online;

import java.util.Set;

/**
 * Opens online stores for some URI schemes; registered in
 * {@code META-INF/services/dev.cairn.features.online.OnlineStoreProvider}.
 */
public interface OnlineStoreProvider {

    Set<String> schemes();

    OnlineStore open(String uri);
}
