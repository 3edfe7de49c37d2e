package dev.cairn.core.pipeline;

import java.time.Instant;

/**
 * A line of a pipeline run's log. {@code seq} orders the lines of a run (increasing, gaps allowed), so a reader
 * can follow a running run by asking for the lines after the last it saw. {@code stepId} is null for the run's own.
 */
public record RunLogLine(String runId, long seq, String stepId, Instant time, String level, String message) {}
