package dev.cairn.server.auth;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import java.util.List;

/**
 * What a route needs from its caller, declared beside the route in its route table: nothing (health checks),
 * any authenticated principal (creating a new experiment, listings filtered to what the caller may read), an
 * admin, or a permission on the resource the request names. A server refuses to start while one of its routes
 * declares none.
 */
public sealed interface Access {

    /** Anyone, without credentials. */
    record Public() implements Access {}

    /** Any authenticated principal; the handler filters what it lists. */
    record Authenticated() implements Access {}

    /** An admin (with full-scope credentials). */
    record Admin() implements Access {}

    /** {@code level} on every resource {@code locator} finds in the request. */
    record OnResource(ResourceKind kind, ResourceLocator locator, Permission level) implements Access {}

    /**
     * The first of {@code options} whose locator finds a resource in the request decides; when none does, the default
     * permission alone, at the first option's level. For a route whose parameter names resources of different kinds
     * (a {@code models:/} or a {@code runs:/} URI).
     */
    record FirstFound(List<OnResource> options) implements Access {
        public FirstFound {
            if (options.isEmpty()) throw new IllegalArgumentException("FirstFound needs at least one option");
            options = List.copyOf(options);
        }
    }

    static Access open() {
        return new Public();
    }

    static Access authenticated() {
        return new Authenticated();
    }

    static Access admin() {
        return new Admin();
    }

    static Access experiment(ResourceLocator locator, Permission level) {
        return new OnResource(ResourceKind.EXPERIMENT, locator, level);
    }

    static Access model(ResourceLocator locator, Permission level) {
        return new OnResource(ResourceKind.REGISTERED_MODEL, locator, level);
    }

    static Access deployment(ResourceLocator locator, Permission level) {
        return new OnResource(ResourceKind.DEPLOYMENT, locator, level);
    }

    static Access pipeline(ResourceLocator locator, Permission level) {
        return new OnResource(ResourceKind.PIPELINE, locator, level);
    }

    static Access feature(ResourceLocator locator, Permission level) {
        return new OnResource(ResourceKind.FEATURE, locator, level);
    }

    static Access firstFound(OnResource... options) {
        return new FirstFound(List.of(options));
    }

    /** A short description for the OpenAPI document and error messages: {@code EDIT on experiment}. */
    default String describe() {
        return switch (this) {
            case Public p -> "public";
            case Authenticated a -> "authenticated";
            case Admin a -> "admin";
            case OnResource r -> r.level() + " on " + r.kind().wireName();
            case FirstFound f -> String.join(" or ", f.options().stream().map(Access::describe).toList());
        };
    }
}
