/**
 * The records of pipelines as the metadata store keeps them: registered specs and their versions, runs and
 * their steps, run logs, lineage edges, trigger state and leases. The engine that writes them is cairn-pipeline;
 * {@link dev.cairn.core.store.PipelineStore} is the contract between the two.
 */
package dev.cairn.core.pipeline;
