package dev.cairn.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The embedded (SQLite) online store")
class SqliteOnlineStoreTest extends OnlineStoreContract {

    @Override
    protected OnlineStore openStore() {
        return OnlineStores.open("sqlite:" + dir.resolve("online/online.db"));
    }

    @Test
    void recordsOutliveTheStoreThatWroteThem() {
        store.put("v", List.of(new OnlineRecord(EntityKey.of(List.of(1)), java.time.Instant.EPOCH, Map.of("x", 1L))));
        store.close();
        store = openStore();
        assertThat(store.get("v", List.of(EntityKey.of(List.of(1L))))).allMatch(java.util.Optional::isPresent);
        assertThat(store.uri()).isEqualTo("sqlite:" + dir.resolve("online/online.db"));
    }

    @Test
    void anUnknownSchemeNamesTheKnownOnes() {
        assertThatThrownBy(() -> OnlineStores.open("memcached://localhost:11211"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                        .contains("'memcached'").contains("[redis, rediss, sqlite]"));
        assertThatThrownBy(() -> OnlineStores.open("/just/a/path.db"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("no scheme"));
    }
}
