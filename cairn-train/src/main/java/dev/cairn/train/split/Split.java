package dev.cairn.train.split;

/** Row indexes of a training part and a validation part of one frame; each sorted ascending. */
public record Split(int[] train, int[] validation) {}
