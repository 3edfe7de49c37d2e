/**
 * YAML read with the line of every value, for documents people write and review (pipeline specs, feature
 * definitions): {@link dev.cairn.data.yaml.YamlReader} builds a {@link dev.cairn.data.yaml.YamlNode} tree,
 * {@link dev.cairn.data.yaml.NodeReader} checks its scalars and keys, and {@link dev.cairn.data.yaml.YamlProblems}
 * collects every problem to report them together, each naming its line and path. It lives in cairn-data (not core,
 * which depends on the JDK alone) because Jackson's YAML parser is already one of this module's libraries.
 */
package dev.cairn.data.yaml;
