package dev.cairn.core.registry;

/** An alias such as {@code champion} pointing at one version of a registered model. */
public record ModelAlias(String alias, long version) {}
