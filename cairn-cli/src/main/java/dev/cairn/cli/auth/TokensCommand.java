package dev.cairn.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.Output;
import dev.cairn.core.auth.Permission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn tokens …}: API tokens, yours or (for an admin) a service account's. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens (yours; any account's for an admin).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public final class TokensCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it: it is shown this once (use it as CAIRN_TOKEN or MLFLOW_TRACKING_TOKEN).")
    static final class Create implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Option(names = "--account", paramLabel = "NAME", description = "Whose token (default: yours; another account's needs an admin).")
        String account;
        @Option(names = "--scope", paramLabel = "PERMISSION", defaultValue = "MANAGE",
                description = "The most it may do: READ, INVOKE, EDIT or MANAGE (default: ${DEFAULT-VALUE}).") String scope;
        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "Expire after this many days (default: never).")
        Integer days;
        @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.") String description;

        @Override
        public Integer call() {
            Permission.parse("--scope", scope);
            Map<String, Object> body = new LinkedHashMap<>();
            if (account != null) body.put("account", account);
            body.put("scope", scope);
            if (days != null) body.put("expires_in_days", days);
            if (description != null) body.put("description", description);
            JsonNode created = server.client().send("POST", "/tokens", body);
            if (output.json()) {
                output.printJson(System.out, created);
            } else {
                System.out.println(created.path("token").asText());
                System.err.println("Token " + created.path("id").asText() + " for '" + created.path("account").asText()
                        + "' (scope " + created.path("scope").asText() + "): shown this once, keep it secret.");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Tokens (never their secrets): yours, or an account's.")
    static final class ListTokens implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Option(names = "--account", paramLabel = "NAME", description = "Whose tokens (default: yours).") String account;

        @Override
        public Integer call() {
            JsonNode tokens = server.client().get("/tokens" + (account == null ? "" : "?account=" + AdminClient.encode(account)))
                    .path("tokens");
            if (output.json()) {
                output.printJson(System.out, tokens);
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode t : tokens) {
                    rows.add(List.of(t.path("id").asText(), t.path("account").asText(), t.path("scope").asText(),
                            t.path("description").asText(""), t.path("created_at").asText(""), t.path("expires_at").asText("never"),
                            t.path("revoked_at").asText("")));
                }
                Output.printTable(System.out, List.of("ID", "ACCOUNT", "SCOPE", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED"), rows);
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id; it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin ServerOption server;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            server.client().send("DELETE", "/tokens/" + AdminClient.encode(id), null);
            System.out.println("Revoked token " + id);
            return 0;
        }
    }
}
