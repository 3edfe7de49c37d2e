/**
 * Pipelines: specs ({@code spec}: YAML DAGs of typed steps, validated with errors naming the line), schedules and
 * triggers ({@code schedule}: cron with a time zone and a catch-up policy), content-addressed snapshots of what a
 * step reads from a mutable source ({@code snapshot}), and the engine that runs steps with caching, retries and
 * lineage. Issue 12 builds it in that order; see the note for what is done.
 */
package dev.cairn.pipeline;
