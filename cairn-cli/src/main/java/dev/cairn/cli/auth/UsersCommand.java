package dev.cairn.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn users …}: accounts on a server with login (an admin's commands). */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = "Create, list and delete the users and service accounts of a server, and set their passwords (admin).",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.Delete.class, UsersCommand.Password.class,
                UsersCommand.Admin.class})
public final class UsersCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user (its password from standard input or a prompt) or a service account (tokens only).")
    static final class Create implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--admin", description = "Make the account an admin.") boolean admin;
        @Option(names = "--service-account", description = "A service account: no password, API tokens only.") boolean serviceAccount;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean stdin;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("admin", admin);
            JsonNode created;
            if (serviceAccount) {
                created = server.client().send("POST", "/service-accounts", body);
            } else {
                body.put("password", Passwords.read(stdin));
                created = server.client().send("POST", "/users", body);
            }
            print(output, created);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The accounts, with their kind, admin flag and groups.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;

        @Override
        public Integer call() {
            JsonNode users = server.client().get("/users").path("users");
            if (output.json()) {
                output.printJson(System.out, users);
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode u : users) rows.add(row(u));
                Output.printTable(System.out, HEADER, rows);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an account with its tokens, memberships and grants.")
    static final class Delete implements Callable<Integer> {
        @Mixin ServerOption server;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            server.client().send("DELETE", "/users/" + AdminClient.encode(name), null);
            System.out.println("Deleted account '" + name + "'");
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Set a user's password (from standard input or a prompt); without NAME, your own.")
    static final class Password implements Callable<Integer> {
        @Mixin ServerOption server;
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The user (admin only); default: yourself.") String name;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean stdin;

        @Override
        public Integer call() {
            String path = name == null ? "/me/password" : "/users/" + AdminClient.encode(name) + "/password";
            server.client().send("PUT", path, Map.of("password", Passwords.read(stdin)));
            System.out.println("Password changed" + (name == null ? "" : " for '" + name + "'"));
            return 0;
        }
    }

    @Command(name = "admin", mixinStandardHelpOptions = true, description = "Make an account an admin (true) or not (false).")
    static final class Admin implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "true|false", description = "Whether the account is an admin.") boolean admin;

        @Override
        public Integer call() {
            print(output, server.client().send("PUT", "/users/" + AdminClient.encode(name) + "/admin", Map.of("admin", admin)));
            return 0;
        }
    }

    private static final List<String> HEADER = List.of("NAME", "KIND", "ADMIN", "GROUPS", "CREATED");

    private static List<String> row(JsonNode u) {
        List<String> groups = new ArrayList<>();
        u.path("groups").forEach(g -> groups.add(g.asText()));
        return List.of(u.path("name").asText(), u.path("kind").asText(), Boolean.toString(u.path("admin").asBoolean()),
                String.join(",", groups), u.path("created_at").asText(""));
    }

    private static void print(Output output, JsonNode user) {
        if (output.json()) output.printJson(System.out, user);
        else Output.printTable(System.out, HEADER, List.of(row(user)));
    }
}
