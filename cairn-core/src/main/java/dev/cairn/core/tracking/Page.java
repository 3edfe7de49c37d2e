package dev.cairn.core.tracking;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is null on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {}
