/**
 * A binary classifier's performance per window: realized from joined labels ({@link
 * dev.cairn.monitor.performance.Realized}, with evaluation's own metric definitions) and estimated
 * before labels by confidence-based performance estimation ({@link dev.cairn.monitor.performance.Cbpe}),
 * from a {@link dev.cairn.monitor.performance.Calibrator} fitted on the model's reference and the
 * window's {@link dev.cairn.monitor.performance.ScoreHistogram}. The window state (the histogram) merges
 * exactly across segments, so an estimate depends only on the window's rows, never on how they were split.
 */
package dev.cairn.monitor.performance;
