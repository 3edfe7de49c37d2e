/** The JDBC implementation of {@link dev.cairn.core.features.FeatureRegistry}, in the metadata database. */
package dev.cairn.store.features;
