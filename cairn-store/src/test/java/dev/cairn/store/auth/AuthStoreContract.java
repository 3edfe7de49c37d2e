package dev.cairn.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Grant;
import dev.cairn.core.auth.Grantee;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.auth.Session;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AuthStore} does, run against SQLite and PostgreSQL. */
abstract class AuthStoreContract {

    static final String ARTIFACT_ROOT = "file:///tmp/cairn-auth-contract-artifacts";
    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);
    private static final String HASH_C = "c".repeat(64);
    private static final Instant T0 = Instant.ofEpochMilli(1_800_000_000_000L);

    private MetadataStore metadata;
    private String uri;
    AuthStore store;

    protected abstract String newStoreUri();

    @BeforeEach
    void open() {
        uri = newStoreUri();
        metadata = Stores.openMetadata(uri, ARTIFACT_ROOT);
        store = metadata.auth();
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void anAccountKeepsItsPasswordHashAndAdminFlag() {
        assertThat(store.anyAdmin()).isFalse();
        Account alice = store.createAccount("alice", Account.Kind.USER, "$argon2id$v=19$m=16384,t=2,p=1$x$y", true);
        assertThat(alice.admin()).isTrue();
        assertThat(alice.hasPassword()).isTrue();
        assertThat(store.anyAdmin()).isTrue();
        assertThat(store.passwordHash("alice")).contains("$argon2id$v=19$m=16384,t=2,p=1$x$y");
        store.setPasswordHash("alice", "$argon2id$new");
        assertThat(store.passwordHash("alice")).contains("$argon2id$new");
        store.setAdmin("alice", false);
        assertThat(store.account("alice")).map(Account::admin).contains(false);
        assertThat(store.passwordHash("nobody")).isEmpty();
        assertThat(store.accounts()).extracting(Account::name).containsExactly("alice");
    }

    @Test
    void aTakenNameIsRefusedAndAServiceAccountHasNoPassword() {
        store.createAccount("bob", Account.Kind.USER, null, false);
        assertThatThrownBy(() -> store.createAccount("bob", Account.Kind.USER, null, false))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
        assertThatThrownBy(() -> store.createAccount("svc", Account.Kind.SERVICE_ACCOUNT, "hash", false))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        assertThatThrownBy(() -> store.createAccount("bad\nname", Account.Kind.USER, null, false))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        Account svc = store.createAccount("svc", Account.Kind.SERVICE_ACCOUNT, null, false);
        assertThat(svc.hasPassword()).isFalse();
        assertThat(svc.kind()).isEqualTo(Account.Kind.SERVICE_ACCOUNT);
    }

    @Test
    void aTokenIsFoundByItsHashUntilRevoked() {
        store.createAccount("svc", Account.Kind.SERVICE_ACCOUNT, null, false);
        Instant expiry = Instant.ofEpochMilli(4_000_000_000_000L);
        ApiToken created = store.createToken(new ApiToken("tok1", "svc", "scoring", Permission.INVOKE, null, expiry, null), HASH_A);
        assertThat(created.scope()).isEqualTo(Permission.INVOKE);
        assertThat(created.expiresAt()).isEqualTo(expiry);
        assertThat(store.tokenByHash(HASH_A)).map(ApiToken::id).contains("tok1");
        assertThat(store.tokenByHash(HASH_B)).isEmpty();
        assertThat(store.tokenByHash("not a hash")).isEmpty();
        assertThat(store.revokeToken("tok1")).isTrue();
        assertThat(store.revokeToken("tok1")).isFalse();
        ApiToken revoked = store.tokenByHash(HASH_A).orElseThrow();
        assertThat(revoked.revokedAt()).isNotNull();
        assertThat(revoked.usableAt(Instant.now())).isFalse();
        assertThat(store.tokens("svc")).extracting(ApiToken::id).containsExactly("tok1");
    }

    @Test
    void aTokenNeedsAnAccountAndAUniqueHash() {
        assertThatThrownBy(() -> store.createToken(new ApiToken("t", "ghost", null, Permission.READ, null, null, null), HASH_A))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        store.createAccount("carol", Account.Kind.USER, null, false);
        assertThatThrownBy(() -> store.createToken(new ApiToken("t", "carol", null, Permission.READ, null, null, null), "secret"))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).doesNotContain("secret");
                });
    }

    @Test
    void deletingAnAccountRemovesItsTokensMembershipsAndGrants() {
        store.createAccount("dave", Account.Kind.USER, null, false);
        store.createGroup("team");
        store.addMember("team", "dave");
        store.createToken(new ApiToken("t1", "dave", null, Permission.MANAGE, null, null, null), HASH_A);
        store.putGrant(new Grant(ResourceKind.EXPERIMENT, "7", Grantee.user("dave"), Permission.EDIT));
        store.deleteAccount("dave");
        assertThat(store.account("dave")).isEmpty();
        assertThat(store.tokenByHash(HASH_A)).isEmpty();
        assertThat(store.members("team")).isEmpty();
        assertThat(store.grants(ResourceKind.EXPERIMENT, "7")).isEmpty();
        // The name can be taken again, without what the old account had.
        store.createAccount("dave", Account.Kind.USER, null, false);
        assertThat(store.groupsOf("dave")).isEmpty();
    }

    @Test
    void aGrantToTheUserWinsOverItsGroupsAndGroupsGiveTheirStrongest() {
        store.createAccount("erin", Account.Kind.USER, null, false);
        store.createGroup("readers");
        store.createGroup("editors");
        store.addMember("readers", "erin");
        store.addMember("editors", "erin");
        store.addMember("editors", "erin");
        assertThat(store.groupsOf("erin")).containsExactly("editors", "readers");
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.group("readers"), Permission.READ));
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.group("editors"), Permission.EDIT));
        Set<String> groups = store.groupsOf("erin");
        assertThat(store.permission(ResourceKind.REGISTERED_MODEL, "credit", "erin", groups)).contains(Permission.EDIT);
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.user("erin"), Permission.READ));
        assertThat(store.permission(ResourceKind.REGISTERED_MODEL, "credit", "erin", groups)).contains(Permission.READ);
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.user("erin"), Permission.MANAGE));
        assertThat(store.grants(ResourceKind.REGISTERED_MODEL, "credit")).hasSize(3);
        assertThat(store.permission(ResourceKind.REGISTERED_MODEL, "credit", "erin", groups)).contains(Permission.MANAGE);
        assertThat(store.permission(ResourceKind.REGISTERED_MODEL, "other", "erin", groups)).isEqualTo(Optional.empty());
        assertThat(store.permission(ResourceKind.EXPERIMENT, "credit", "erin", groups)).isEmpty();
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "fraud", Grantee.group("readers"), Permission.READ));
        assertThat(store.permissions(ResourceKind.REGISTERED_MODEL, "erin", groups))
                .isEqualTo(Map.of("credit", Permission.MANAGE, "fraud", Permission.READ));
        assertThat(store.deleteGrant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.user("erin"))).isTrue();
        assertThat(store.deleteGrant(ResourceKind.REGISTERED_MODEL, "credit", Grantee.user("erin"))).isFalse();
        store.deleteGroup("editors");
        assertThat(store.permission(ResourceKind.REGISTERED_MODEL, "credit", "erin", store.groupsOf("erin"))).contains(Permission.READ);
        store.deleteGrants(ResourceKind.REGISTERED_MODEL, "credit");
        assertThat(store.grants(ResourceKind.REGISTERED_MODEL, "credit")).isEmpty();
    }

    @Test
    void aDeletedResourcesGrantsAreGoneAndARenamedOnesMoveWithIt() {
        store.createAccount("fay", Account.Kind.USER, null, false);
        store.createGroup("team");
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "churn", Grantee.user("fay"), Permission.MANAGE));
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "churn", Grantee.group("team"), Permission.READ));
        store.putGrant(new Grant(ResourceKind.DEPLOYMENT, "churn", Grantee.user("fay"), Permission.EDIT));
        // A stale grant left on the new name (its earlier resource was deleted before grants were cleaned up).
        store.putGrant(new Grant(ResourceKind.REGISTERED_MODEL, "churn-v2", Grantee.user("fay"), Permission.READ));

        store.renameGrants(ResourceKind.REGISTERED_MODEL, "churn", "churn-v2");
        assertThat(store.grants(ResourceKind.REGISTERED_MODEL, "churn")).isEmpty();
        assertThat(store.grants(ResourceKind.REGISTERED_MODEL, "churn-v2")).containsExactlyInAnyOrder(
                new Grant(ResourceKind.REGISTERED_MODEL, "churn-v2", Grantee.user("fay"), Permission.MANAGE),
                new Grant(ResourceKind.REGISTERED_MODEL, "churn-v2", Grantee.group("team"), Permission.READ));
        assertThat(store.grants(ResourceKind.DEPLOYMENT, "churn")).as("another kind's resource of that name keeps its grants")
                .hasSize(1);
        store.renameGrants(ResourceKind.REGISTERED_MODEL, "nothing-here", "churn-v2");
        assertThat(store.grants(ResourceKind.REGISTERED_MODEL, "churn-v2")).as("renaming a resource without grants to a name "
                + "drops what was left on that name").isEmpty();

        store.deleteGrants(ResourceKind.DEPLOYMENT, "churn");
        assertThat(store.grants(ResourceKind.DEPLOYMENT, "churn")).isEmpty();
        assertThat(store.permission(ResourceKind.DEPLOYMENT, "churn", "fay", Set.of("team"))).isEmpty();
    }

    @Test
    void aGrantNeedsItsGranteeToExist() {
        assertThatThrownBy(() -> store.putGrant(new Grant(ResourceKind.PIPELINE, "nightly", Grantee.group("ghosts"), Permission.READ)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> store.putGrant(new Grant(ResourceKind.PIPELINE, "nightly", Grantee.user("ghost"), Permission.READ)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void aSessionIsFoundByItsHashItsLastUseMovesOnlyForwardAndItCanBeDeleted() {
        store.createAccount("frank", Account.Kind.USER, "$argon2id$x", false);
        Session created = store.createSession(HASH_A, "frank", T0, T0.plus(Duration.ofHours(12)));
        assertThat(created).isEqualTo(new Session("frank", T0, T0.plus(Duration.ofHours(12)), T0));
        assertThat(store.sessionByHash(HASH_A)).contains(created);
        assertThat(store.sessionByHash(HASH_B)).isEmpty();
        assertThat(store.sessionByHash("not a hash")).isEmpty();

        assertThat(store.touchSession(HASH_A, T0.plus(Duration.ofMinutes(5)))).isTrue();
        assertThat(store.touchSession(HASH_A, T0.plus(Duration.ofMinutes(1)))).isTrue();
        Session touched = store.sessionByHash(HASH_A).orElseThrow();
        assertThat(touched.lastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(store.touchSession(HASH_B, T0)).isFalse();

        Duration idle = Duration.ofHours(1);
        assertThat(touched.usableAt(T0.plus(Duration.ofMinutes(64)), idle)).isTrue();
        assertThat(touched.usableAt(T0.plus(Duration.ofMinutes(65)), idle)).as("idle for an hour").isFalse();
        assertThat(new Session("frank", T0, T0.plus(Duration.ofHours(12)), T0.plus(Duration.ofHours(11).plusMinutes(59)))
                .usableAt(T0.plus(Duration.ofHours(12)), idle)).as("past the absolute end").isFalse();

        assertThat(store.deleteSession(HASH_A)).isTrue();
        assertThat(store.deleteSession(HASH_A)).isFalse();
        assertThat(store.sessionByHash(HASH_A)).isEmpty();
    }

    @Test
    void changingThePasswordOrDeletingTheAccountEndsItsSessionsAndNobodyElses() {
        store.createAccount("gina", Account.Kind.USER, "$argon2id$old", false);
        store.createAccount("hal", Account.Kind.USER, "$argon2id$hal", false);
        Instant end = T0.plus(Duration.ofHours(12));
        store.createSession(HASH_A, "gina", T0, end);
        store.createSession(HASH_B, "gina", T0, end);
        store.createSession(HASH_C, "hal", T0, end);

        store.setPasswordHash("gina", "$argon2id$new");
        assertThat(store.sessionByHash(HASH_A)).isEmpty();
        assertThat(store.sessionByHash(HASH_B)).isEmpty();
        assertThat(store.sessionByHash(HASH_C)).isPresent();

        store.createSession(HASH_A, "gina", T0, end);
        store.deleteAccount("gina");
        assertThat(store.sessionByHash(HASH_A)).isEmpty();
        // The admin flag is read with every request: changing it needs no new login.
        store.setAdmin("hal", true);
        assertThat(store.sessionByHash(HASH_C)).isPresent();
        assertThat(store.deleteSessions("hal")).isEqualTo(1);
        assertThat(store.sessionByHash(HASH_C)).isEmpty();
    }

    @Test
    void endedSessionsArePurgedAndANewOneNeedsAnAccountAHashAndAnEndAfterItsStart() {
        store.createAccount("ivan", Account.Kind.USER, "$argon2id$x", false);
        store.createSession(HASH_A, "ivan", T0, T0.plus(Duration.ofHours(1)));          // past its end at T0 + 2 h
        store.createSession(HASH_B, "ivan", T0, T0.plus(Duration.ofHours(12)));         // idle since T0
        store.createSession(HASH_C, "ivan", T0, T0.plus(Duration.ofHours(12)));
        store.touchSession(HASH_C, T0.plus(Duration.ofMinutes(90)));                     // used within the last hour
        assertThat(store.deleteEndedSessions(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(1)))).isEqualTo(2);
        assertThat(store.sessionByHash(HASH_A)).isEmpty();
        assertThat(store.sessionByHash(HASH_B)).isEmpty();
        assertThat(store.sessionByHash(HASH_C)).isPresent();

        assertThatThrownBy(() -> store.createSession(HASH_A, "ghost", T0, T0.plusSeconds(60)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> store.createSession("secret-session-id", "ivan", T0, T0.plusSeconds(60)))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).doesNotContain("secret-session-id");
                });
        assertThatThrownBy(() -> store.createSession(HASH_A, "ivan", T0, T0))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    /**
     * Servers cache verified credentials and grants while the change counter stays put: it moves with every change to
     * them, in the change's own transaction, and another store on the same database sees it move (within its check
     * interval, about a second; waited for here up to a generous limit). Sessions are not cached, so they leave it.
     */
    @Test
    void theChangeCounterMovesWithCredentialsAndGrantsAndIsSeenByAnotherStoreOnTheDatabase() throws InterruptedException {
        long start = store.changes();
        store.createAccount("kim", Account.Kind.USER, "$argon2id$x", false);
        long afterAccount = store.changes();
        assertThat(afterAccount).isGreaterThan(start);
        store.createSession(HASH_A, "kim", T0, T0.plus(Duration.ofHours(1)));
        store.touchSession(HASH_A, T0.plusSeconds(60));
        store.deleteSession(HASH_A);
        assertThat(store.changes()).as("sessions leave it").isEqualTo(afterAccount);
        store.putGrant(new Grant(ResourceKind.EXPERIMENT, "1", Grantee.user("kim"), Permission.READ));
        long afterGrant = store.changes();
        assertThat(afterGrant).isGreaterThan(afterAccount);

        try (MetadataStore other = Stores.openMetadata(uri, ARTIFACT_ROOT)) {
            assertThat(other.auth().changes()).isEqualTo(afterGrant);
            assertThat(other.auth().permission(ResourceKind.EXPERIMENT, "1", "kim", Set.of())).contains(Permission.READ);
            store.deleteGrant(ResourceKind.EXPERIMENT, "1", Grantee.user("kim"));
            long limit = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (other.auth().changes() == afterGrant && System.nanoTime() < limit) Thread.sleep(50);
            assertThat(other.auth().changes()).isGreaterThan(afterGrant);
            assertThat(other.auth().permission(ResourceKind.EXPERIMENT, "1", "kim", Set.of())).isEmpty();
        }
    }
}
