package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

    @Test
    void everyGeneratedTokenHasATokensShapeAndNothingElseDoes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ApiTokens.NewToken token = ApiTokens.generate();
            assertThat(ApiTokens.looksLikeToken(token.token())).as(token.token()).isTrue();
            assertThat(token.token()).startsWith(ApiTokens.PREFIX + token.id() + "_");
            assertThat(seen.add(token.token())).isTrue();
        }
        String good = "cairn_" + "A".repeat(11) + "_" + "b-_9".repeat(10) + "xyz";
        assertThat(ApiTokens.looksLikeToken(good)).isTrue();
        assertThat(ApiTokens.looksLikeToken(null)).isFalse();
        assertThat(ApiTokens.looksLikeToken("")).isFalse();
        assertThat(ApiTokens.looksLikeToken(good + "x")).as("one character too many").isFalse();
        assertThat(ApiTokens.looksLikeToken(good.substring(1))).as("one too few").isFalse();
        assertThat(ApiTokens.looksLikeToken("Cairn" + good.substring(5))).as("another prefix").isFalse();
        assertThat(ApiTokens.looksLikeToken(good.substring(0, 17) + "x" + good.substring(18))).as("no separator after the id").isFalse();
        for (char bad : new char[] {'+', '/', '=', ' ', '.', 'é', '\n', '\0'}) {
            assertThat(ApiTokens.looksLikeToken(good.substring(0, 30) + bad + good.substring(31))).as("with %s", (int) bad).isFalse();
            assertThat(ApiTokens.looksLikeToken(good.substring(0, 8) + bad + good.substring(9))).as("id with %s", (int) bad).isFalse();
        }
    }

    @Test
    void theHashIsSha256InHexAndTheSameFromEveryThread() throws Exception {
        // FIPS 180-2's test vector.
        assertThat(ApiTokens.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Thread[] threads = new Thread[4];
        Set<String> results = ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) results.add(ApiTokens.sha256("abc"));
            });
            threads[t].start();
        }
        for (Thread thread : threads) thread.join();
        assertThat(results).containsExactly("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
