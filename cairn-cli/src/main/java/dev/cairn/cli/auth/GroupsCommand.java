package dev.cairn.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn groups …}: teams whose grants apply to their members (an admin's commands). */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "Create, list and delete groups, and add and remove their members (admin).",
        subcommands = {GroupsCommand.Create.class, GroupsCommand.ListGroups.class, GroupsCommand.Delete.class, GroupsCommand.Add.class,
                GroupsCommand.Remove.class})
public final class GroupsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
    static final class Create implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(paramLabel = "GROUP") String group;

        @Override
        public Integer call() {
            print(output, List.of(server.client().send("POST", "/groups", Map.of("name", group))));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The groups with their members.")
    static final class ListGroups implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;

        @Override
        public Integer call() {
            List<JsonNode> all = new ArrayList<>();
            server.client().get("/groups").path("groups").forEach(all::add);
            print(output, all);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group with its memberships and grants.")
    static final class Delete implements Callable<Integer> {
        @Mixin ServerOption server;
        @Parameters(paramLabel = "GROUP") String group;

        @Override
        public Integer call() {
            server.client().send("DELETE", "/groups/" + AdminClient.encode(group), null);
            System.out.println("Deleted group '" + group + "'");
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account to a group.")
    static final class Add implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "GROUP") String group;
        @Parameters(index = "1", paramLabel = "ACCOUNT") String account;

        @Override
        public Integer call() {
            print(output, List.of(server.client().send("PUT", "/groups/" + AdminClient.encode(group) + "/members/"
                    + AdminClient.encode(account), null)));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account from a group.")
    static final class Remove implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "GROUP") String group;
        @Parameters(index = "1", paramLabel = "ACCOUNT") String account;

        @Override
        public Integer call() {
            print(output, List.of(server.client().send("DELETE", "/groups/" + AdminClient.encode(group) + "/members/"
                    + AdminClient.encode(account), null)));
            return 0;
        }
    }

    private static void print(Output output, List<JsonNode> groups) {
        if (output.json()) {
            output.printJson(System.out, groups);
            return;
        }
        Output.printTable(System.out, List.of("GROUP", "MEMBERS"), groups.stream().map(g -> {
            List<String> members = new ArrayList<>();
            g.path("members").forEach(m -> members.add(m.asText()));
            return List.of(g.path("name").asText(), String.join(",", members));
        }).toList());
    }
}
