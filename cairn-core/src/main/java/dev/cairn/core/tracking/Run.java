package dev.cairn.core.tracking;

import java.util.List;

/** A run: its info, its logged data and its dataset inputs. */
public record Run(RunInfo info, RunData data, List<DatasetInput> inputs) {}
