package dev.cairn.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.Output;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn grants …}: who may do what to one experiment, registered model, deployment or pipeline. */
@Command(name = "grants", mixinStandardHelpOptions = true,
        description = "Set, list and delete the permissions of users and groups on an experiment (by id), registered model, "
                + "deployment, pipeline or feature definition (an admin's, or the resource's managers').",
        subcommands = {GrantsCommand.SetGrant.class, GrantsCommand.ListGrants.class, GrantsCommand.DeleteGrant.class})
public final class GrantsCommand {

    /** Exactly one grantee. */
    static final class Grantee {
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "A user or service account.") String user;
        @Option(names = "--group", paramLabel = "NAME", required = true, description = "A group.") String group;

        String path() {
            return user != null ? "/users/" + AdminClient.encode(user) : "/groups/" + AdminClient.encode(group);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Grant (or change) a permission: READ, EDIT, MANAGE, "
            + "INVOKE (deployments) or NO_PERMISSIONS (deny one user what its groups allow).")
    static final class SetGrant implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "KIND", description = "experiment, registered_model, deployment, pipeline or feature") String kind;
        @Parameters(index = "1", paramLabel = "RESOURCE", description = "The experiment id, or the model, deployment, pipeline or feature definition name.")
        String resource;
        @Parameters(index = "2", paramLabel = "PERMISSION") String permission;
        @ArgGroup(exclusive = true, multiplicity = "1") Grantee grantee;

        @Override
        public Integer call() {
            Permission p = Permission.parse("PERMISSION", permission);
            JsonNode grant = server.client().send("PUT", base(kind, resource) + grantee.path(), Map.of("permission", p.name()));
            print(output, List.of(grant), grant);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The grants on one resource.")
    static final class ListGrants implements Callable<Integer> {
        @Mixin ServerOption server;
        @Mixin Output output;
        @Parameters(index = "0", paramLabel = "KIND", description = "experiment, registered_model, deployment, pipeline or feature") String kind;
        @Parameters(index = "1", paramLabel = "RESOURCE") String resource;

        @Override
        public Integer call() {
            JsonNode grants = server.client().get(base(kind, resource)).path("grants");
            List<JsonNode> all = new ArrayList<>();
            grants.forEach(all::add);
            print(output, all, grants);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a user's or group's grant on one resource.")
    static final class DeleteGrant implements Callable<Integer> {
        @Mixin ServerOption server;
        @Parameters(index = "0", paramLabel = "KIND", description = "experiment, registered_model, deployment, pipeline or feature") String kind;
        @Parameters(index = "1", paramLabel = "RESOURCE") String resource;
        @ArgGroup(exclusive = true, multiplicity = "1") Grantee grantee;

        @Override
        public Integer call() {
            server.client().send("DELETE", base(kind, resource) + grantee.path(), null);
            System.out.println("Deleted the grant");
            return 0;
        }
    }

    /** The grants path of a resource: {@code /registered-models/credit/grants}. */
    static String base(String kind, String resource) {
        String segment = switch (ResourceKind.parse("KIND", kind)) {
            case EXPERIMENT -> "experiments";
            case REGISTERED_MODEL -> "registered-models";
            case DEPLOYMENT -> "deployments";
            case PIPELINE -> "pipelines";
            case FEATURE -> "features";
        };
        return "/" + segment + "/" + AdminClient.encode(resource) + "/grants";
    }

    private static void print(Output output, List<JsonNode> grants, JsonNode json) {
        if (output.json()) {
            output.printJson(System.out, json);
            return;
        }
        Output.printTable(System.out, List.of("KIND", "RESOURCE", "GRANTEE", "NAME", "PERMISSION"), grants.stream()
                .map(g -> List.of(g.path("resource_kind").asText(), g.path("resource").asText(), g.path("grantee_kind").asText(),
                        g.path("grantee").asText(), g.path("permission").asText())).toList());
    }
}
