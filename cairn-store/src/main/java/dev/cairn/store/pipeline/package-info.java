/**
 * Pipelines in the SQL metadata store: registered specs and every version runs used, runs and their steps, logs,
 * lineage, trigger state and leases. The decisions several servers race for (creating a slot's run once, claiming
 * within a pipeline's limit, adopting an orphan, moving a trigger's state, taking a lease) are each one conditional
 * statement whose changed-row count names the winner, under a unique constraint or a row or advisory lock on
 * PostgreSQL and the single writer on SQLite. Pipeline changes and cancellations are recorded in the append-only
 * {@code pipeline_events} table in the same transaction.
 */
package dev.cairn.store.pipeline;
