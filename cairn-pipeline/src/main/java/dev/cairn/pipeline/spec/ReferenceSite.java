package dev.cairn.pipeline.spec;

/** A reference and where it is written, kept until every step is known and references can be checked. */
record ReferenceSite(Reference reference, YamlNode at, String path) {}
