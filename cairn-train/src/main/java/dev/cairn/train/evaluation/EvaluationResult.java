package dev.cairn.train.evaluation;

/**
 * A finished evaluation: its run, the verdict, where the reports are ({@code runs:/<run>/evaluation/report.html}
 * and the storage location a browser can open, {@code file:…} for a local store), and, for a binary
 * classifier, the candidate repackaged with its chosen decision threshold ({@code runs:/<run>/model}) so
 * serving uses that threshold once it is registered.
 */
public record EvaluationResult(String runId, Verdict verdict, String reportHtmlUri, String reportJsonUri,
                               String reportHtmlLocation, String thresholdedModelUri, Report report) {}
