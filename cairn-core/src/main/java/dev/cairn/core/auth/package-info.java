/**
 * Identity and access: who is calling ({@link dev.cairn.core.auth.Principal}), what they may do to which resource
 * ({@link dev.cairn.core.auth.Permission} per {@link dev.cairn.core.auth.ResourceKind}, granted to a user or a group),
 * and the store that holds accounts, hashed secrets, groups and grants ({@link dev.cairn.core.auth.AuthStore}).
 * The semantics follow MLflow's auth app: READ, EDIT, MANAGE and NO_PERMISSIONS per experiment and registered model,
 * a default permission for resources without a grant, and admins who may do everything.
 */
package dev.cairn.core.auth;
