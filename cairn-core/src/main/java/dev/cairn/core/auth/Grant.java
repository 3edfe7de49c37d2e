package dev.cairn.core.auth;

/** A permission on one resource (an experiment id, a model, deployment or pipeline name) for a user or a group. */
public record Grant(ResourceKind kind, String resource, Grantee grantee, Permission permission) {}
