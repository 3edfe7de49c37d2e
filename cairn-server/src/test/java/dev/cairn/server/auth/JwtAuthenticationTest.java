package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer JWTs of an identity provider, verified against a JWKS file made here from a locally generated RSA key: a
 * good token logs its user in with the groups its claim lists; forged, expired, unsigned, wrong-issuer and
 * wrong-audience tokens get 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthenticationTest {

    private static final String ISSUER = "https://idp.example.test";
    private static final String AUDIENCE = "cairn";
    private final HttpClient http = HttpClient.newHttpClient();
    private ServerMain.RunningServer running;
    private RSAKey key;
    private RSAKey impostor;
    private String experimentId;

    private static SecureRandom seeded(long seed) throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return random;
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        key = new RSAKeyGenerator(2048).keyID("idp-1").secureRandom(seeded(14L)).generate();
        // Another key under the same id: what a forger who knows the key id but not the key would sign with.
        impostor = new RSAKeyGenerator(2048).keyID("idp-1").secureRandom(seeded(15L)).generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        String storeUri = "sqlite:" + dir.resolve("cairn.db");
        String artifacts = dir.resolve("artifacts").toUri().toString();
        try (MetadataStore store = Stores.openMetadata(storeUri, artifacts)) {
            experimentId = store.experiments().createExperiment("jwt-experiment", null, List.of());
            store.auth().createGroup("data-science");
            store.auth().putGrant(new Grant(ResourceKind.EXPERIMENT, experimentId, Grantee.group("data-science"), Permission.READ));
        }
        ServerOptions options = ServerOptions.parse(List.of("--store", storeUri, "--artifacts", artifacts, "--port", "0", "--auth",
                "--jwks", jwks.toString(), "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE,
                "--jwt-user-claim", "preferred_username", "--jwt-groups-claim", "groups"));
        running = ServerMain.start(options, Clock.systemUTC(), false);
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("u-123").claim("preferred_username", "jane")
                .claim("groups", List.of("data-science")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String signed(RSAKey with, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(running.url() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGoodTokenLogsInItsUserWithTheGroupsItsClaimLists() throws Exception {
        String token = signed(key, claims().build());
        HttpResponse<String> me = get("/api/v1/auth/me", token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"jane\"").contains("data-science");
        assertThat(get("/api/v1/experiments/" + experimentId, token).statusCode()).isEqualTo(200);
        // Without the group in the token, the grant does not apply.
        String alone = signed(key, claims().claim("groups", List.of()).build());
        assertThat(get("/api/v1/experiments/" + experimentId, alone).statusCode()).isEqualTo(403);
    }

    @Test
    void forgedExpiredUnsignedAndMisdirectedTokensGet401() throws Exception {
        Instant now = Instant.now();
        List<String> bad = new ArrayList<>();
        bad.add(signed(impostor, claims().build()));
        bad.add(signed(key, claims().expirationTime(Date.from(now.minusSeconds(300))).build()));
        bad.add(signed(key, claims().audience("another-service").build()));
        bad.add(signed(key, claims().issuer("https://evil.example.test").build()));
        bad.add(signed(key, claims().expirationTime(null).build()));
        bad.add(signed(key, claims().claim("preferred_username", null).build()));
        bad.add(new PlainJWT(claims().build()).serialize());
        // HS256 keyed with the public key's bytes: the confusion attack on verifiers that trust the header's alg.
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-1").build(), claims().build());
        hmac.sign(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()));
        bad.add(hmac.serialize());
        String good = signed(key, claims().build());
        String[] parts = good.split("\\.");
        String otherPayload = signed(key, claims().claim("preferred_username", "admin").build()).split("\\.")[1];
        bad.add(parts[0] + "." + otherPayload + "." + parts[2]);
        bad.add(good.substring(0, good.length() - 4) + "AAAA");
        for (String token : bad) {
            HttpResponse<String> response = get("/api/v1/experiments/" + experimentId, token);
            assertThat(response.statusCode()).as(token).isEqualTo(401);
            assertThat(response.body()).doesNotContain(token);
        }
    }

    @Test
    void theJwtOptionsAreCheckedAtStart() {
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--auth", "--jwks", "/nowhere.json", "--jwt-audience", AUDIENCE)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--jwt-issuer"));
        assertThatThrownBy(() -> ServerOptions.parse(List.of("--jwks", "/nowhere.json", "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--auth"));
        assertThatThrownBy(() -> new JwtVerifier(new JwtSettings("/nowhere.json", ISSUER, AUDIENCE, null, null)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("--jwks"));
    }
}
