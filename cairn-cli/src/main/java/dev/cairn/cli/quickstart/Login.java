package dev.cairn.cli.quickstart;

import dev.cairn.client.Cairn;
import dev.cairn.client.Credentials;
import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.AuthStore;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.server.auth.ApiTokens;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code cairn quickstart --auth}: the example with login on. The machine's operator (the quickstart, holding the
 * database as the admin bootstrap does) gives the account {@value #ANALYST} an API token valid for a day; every
 * stage then calls the server with it, and at the end the audit log must name the analyst for every change a person
 * made — whatever name the requests claimed in {@code X-Cairn-User} — and the server's own monitor for its alerts.
 */
final class Login {

    static final String ANALYST = "analyst";
    /** Changes the server makes by itself (alerts of its monitoring), not on anybody's request. */
    static final Set<String> SERVER_ACTORS = Set.of("cairn-monitor");

    private Login() {}

    /** The analyst's account (created on the first run) and a new token for it. */
    static Credentials analyst(AuthStore auth, PrintStream out) {
        if (auth.account(ANALYST).isEmpty()) auth.createAccount(ANALYST, Account.Kind.USER, null, false);
        ApiTokens.NewToken token = ApiTokens.generate();
        auth.createToken(new ApiToken(token.id(), ANALYST, "cairn quickstart", Permission.MANAGE, Instant.now(),
                Instant.now().plus(Duration.ofDays(1)), null), ApiTokens.sha256(token.token()));
        out.println("  login: every stage calls the server as '" + ANALYST + "' with an API token (valid for a day; "
                + "`cairn tokens create` makes them for real accounts)");
        return Credentials.bearer(token.token());
    }

    /**
     * Refuses the run if an audit entry of {@code model} names anybody but the analyst or the server itself, or a run
     * of {@code experiment} records another user.
     */
    static void checkAudit(Cairn client, String experiment, String model, PrintStream out) {
        List<AuditEvent> events = client.listAudit(model);
        Map<String, Integer> byActor = new TreeMap<>();
        events.forEach(e -> byActor.merge(e.actor(), 1, Integer::sum));
        List<String> others = byActor.keySet().stream().filter(a -> !a.equals(ANALYST) && !SERVER_ACTORS.contains(a)).toList();
        if (!others.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_STATE, "the audit log of " + model + " names " + others
                    + " although every request was made as " + ANALYST + ": " + byActor);
        }
        String experimentId = client.getExperimentByName(experiment).orElseThrow().experimentId();
        Map<String, Integer> runsBy = new TreeMap<>();
        String page = null;
        do {
            Page<Run> runs = client.searchRuns(List.of(experimentId), null, List.of(), 1000, page);
            runs.items().forEach(r -> runsBy.merge(r.info().userId(), 1, Integer::sum));
            page = runs.nextPageToken();
        } while (page != null);
        if (!runsBy.keySet().equals(Set.of(ANALYST))) {
            throw new CairnException(ErrorCode.INVALID_STATE, "the runs of " + experiment + " record the users " + runsBy
                    + " although every request was made as " + ANALYST);
        }
        out.println("   audit: " + events.size() + " entries on " + model + ", by " + byActor + "; runs of " + experiment + " by " + runsBy);
        out.println("   (the authenticated principal, not the X-Cairn-User name the requests claimed)");
    }
}
