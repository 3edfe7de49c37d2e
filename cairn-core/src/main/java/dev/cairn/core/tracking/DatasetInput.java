package dev.cairn.core.tracking;

import java.util.List;

/** A dataset used by a run, with tags such as {@code mlflow.data.context=training}. */
public record DatasetInput(Dataset dataset, List<Tag> tags) {}
