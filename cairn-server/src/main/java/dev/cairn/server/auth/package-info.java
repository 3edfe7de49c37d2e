/**
 * Authentication (Basic passwords as MLflow clients send them, Bearer API tokens, and for the web UI only, server-side
 * sessions held in a cookie), authorization from the access each route declares in its route table
 * ({@link dev.cairn.server.auth.Access}), the admin bootstrap, login rate limiting, and the admin REST API under
 * {@code /api/v1/auth}.
 */
package dev.cairn.server.auth;
