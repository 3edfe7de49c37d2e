package dev.cairn.core.tracking;

import java.util.List;

/** What a run logged: the latest value of each metric (by step, then timestamp), params and tags. */
public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {}
