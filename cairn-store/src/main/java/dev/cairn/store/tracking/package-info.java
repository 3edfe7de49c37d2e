/**
 * Experiments and runs with MLflow's semantics and limits: immutable params, full metric history
 * with a latest-metrics table for search, soft delete and purge, datasets deduplicated per
 * experiment, and searchRuns over indexed tables.
 */
package dev.cairn.store.tracking;
