/**
 * The feature registry's contract: feature definitions stored with version numbers and SHA-256, by name. The feature
 * store itself (definitions' meaning, training sets, online stores) is cairn-features; the JDBC implementation of
 * {@link dev.cairn.core.features.FeatureRegistry} is cairn-store's.
 */
package dev.cairn.core.features;
