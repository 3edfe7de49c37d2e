/**
 * The step runners cairn-pipeline provides ({@link dev.cairn.pipeline.steps.StandardSteps#all()}), one class per step
 * type: each reads its resolved {@code with} through {@link dev.cairn.pipeline.engine.StepContext}, calls the same
 * library code as the CLI command of the same name (cairn-data for read, validate, profile and drift; cairn-train for
 * train, tune, evaluate, register and promote), records what it read and wrote as lineage, logs what it does, and
 * returns exactly the outputs its {@link dev.cairn.pipeline.spec.StepType} declares. Errors name the step's field
 * ({@code steps.train.with.label}), including those the libraries raise under their own names. Reports go to the
 * step's own tracking run; training, tuning and evaluation runs are tagged {@code cairn.pipeline.run_id} and
 * {@code cairn.pipeline.step} and are children of the step's run.
 */
package dev.cairn.pipeline.steps;
