/** The JDBC implementation of {@link dev.cairn.core.auth.AuthStore}, in the metadata database. */
package dev.cairn.store.auth;
