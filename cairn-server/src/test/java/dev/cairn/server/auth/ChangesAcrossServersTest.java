package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one database, as {@code cairn server} replicas run: each keeps verified tokens and grants in memory
 * (a database read per request costs most of an inference), and a revocation or a grant taken away through one
 * server must stop working on the other too, within the store's change check (about a second) rather than when the
 * cache would expire (30 s). The other server is given the whole cache time to live to catch up, so the test asserts
 * the behaviour and not the second.
 */
class ChangesAcrossServersTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    private MetadataStore first;
    private MetadataStore second;

    @BeforeEach
    void open(@TempDir Path dir) {
        String uri = "sqlite:" + dir.resolve("cairn.db");
        first = Stores.openMetadata(uri, dir.resolve("artifacts").toString());
        second = Stores.openMetadata(uri, dir.resolve("artifacts").toString());
        first.auth().createAccount("scorer", Account.Kind.SERVICE_ACCOUNT, null, false);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void aTokenRevokedThroughOneServerIsRefusedByTheOtherWellBeforeItsCacheExpires() {
        ApiTokens.NewToken token = ApiTokens.generate();
        first.auth().createToken(new ApiToken(token.id(), "scorer", "test", Permission.INVOKE, null, null, null),
                ApiTokens.sha256(token.token()));
        Authenticator other = new Authenticator(second.auth(), Passwords.forTests(), LoginLimiter.standard(), Clock.systemUTC(), TTL);
        assertThat(other.authenticate("Bearer " + token.token(), "127.0.0.1").name()).isEqualTo("scorer");
        long revokedAt = System.nanoTime();

        first.auth().revokeToken(token.id());

        assertThat(within(TTL.dividedBy(2), () -> refused(other, token))).as("refused by the other server").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(TTL);
    }

    @Test
    void aGrantTakenAwayThroughOneServerIsDeniedByTheOther() {
        Grantee scorer = Grantee.user("scorer");
        first.auth().putGrant(new Grant(ResourceKind.DEPLOYMENT, "credit-risk", scorer, Permission.INVOKE));
        Authorizer other = new Authorizer(second.auth(), Permission.NO_PERMISSIONS, ResourceLookup.of(second));
        Principal principal = new Principal.ServiceAccount("scorer", java.util.Set.of(), false, Permission.INVOKE);
        assertThat(other.permission(principal, ResourceKind.DEPLOYMENT, "credit-risk")).isEqualTo(Permission.INVOKE);

        first.auth().deleteGrant(ResourceKind.DEPLOYMENT, "credit-risk", scorer);

        assertThat(within(TTL.dividedBy(2), () -> other.permission(principal, ResourceKind.DEPLOYMENT, "credit-risk")
                == Permission.NO_PERMISSIONS)).as("denied by the other server").isTrue();
    }

    @Test
    void onTheServerThatMadeTheChangeItHoldsAtOnce() {
        ApiTokens.NewToken token = ApiTokens.generate();
        first.auth().createToken(new ApiToken(token.id(), "scorer", "test", Permission.INVOKE, null, null, null),
                ApiTokens.sha256(token.token()));
        Authenticator same = new Authenticator(first.auth(), Passwords.forTests(), LoginLimiter.standard(), Clock.systemUTC(), TTL);
        assertThat(same.authenticate("Bearer " + token.token(), "127.0.0.1").name()).isEqualTo("scorer");

        first.auth().revokeToken(token.id());

        assertThatThrownBy(() -> same.authenticate("Bearer " + token.token(), "127.0.0.1"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }

    private static boolean refused(Authenticator authenticator, ApiTokens.NewToken token) {
        try {
            authenticator.authenticate("Bearer " + token.token(), "127.0.0.1");
            return false;
        } catch (CairnException e) {
            return e.code() == ErrorCode.UNAUTHENTICATED;
        }
    }

    private static boolean within(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
