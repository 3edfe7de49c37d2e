/**
 * The feature store. {@link dev.cairn.features.FeatureStore} is its service: definitions in YAML
 * ({@code definition}: entities, sources, feature views, feature services; versioned in the registry through
 * {@link dev.cairn.core.features.FeatureRegistry}), point-in-time correct training sets on DuckDB ({@code offline}),
 * materialization into online stores, embedded SQLite or Redis, picked by URI ({@code online}). Sources are read
 * through cairn-data's readers ({@code source}), within a {@link dev.cairn.core.access.DataAccess}.
 */
package dev.cairn.features;
