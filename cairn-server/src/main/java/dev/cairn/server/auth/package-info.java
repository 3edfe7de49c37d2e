/**
 * Authentication (Basic passwords as MLflow clients send them, Bearer API tokens), authorization from the access
 * each route declares in its route table ({@link dev.cairn.server.auth.Access}), the admin bootstrap, login rate
 * limiting, and the admin REST API under {@code /api/v1/auth}.
 */
package dev.cairn.server.auth;
