package dev.cairn.core.tracking;

/** A key/value tag, on an experiment, a run, a registered model or a model version. */
public record Tag(String key, String value) {}
