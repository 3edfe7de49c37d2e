package dev.cairn.data.check;

/**
 * What a check found: whether it passed, the observed value (a number when there is one) and
 * a sentence for people, what was expected, and how many rows failed (null when rows do not apply).
 */
public record Outcome(boolean passed, Double observed, String observedText, String expected, Long failingRows) {}
