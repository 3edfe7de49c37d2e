package dev.cairn.pipeline.spec;

import dev.cairn.data.yaml.YamlNode;

/** A reference and where it is written, kept until every step is known and references can be checked. */
record ReferenceSite(Reference reference, YamlNode at, String path) {}
