/**
 * The model registry (models, versions, tags, aliases, legacy stages) and its append-only audit
 * log, written in the same transaction as every change it records.
 */
package dev.cairn.store.registry;
