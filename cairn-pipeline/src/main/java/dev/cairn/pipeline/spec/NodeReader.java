package dev.cairn.pipeline.spec;

import dev.cairn.data.yaml.YamlProblems;

/** The YAML checks of {@link dev.cairn.data.yaml.NodeReader}, and what the readers of a spec's parts add to them. */
abstract class NodeReader extends dev.cairn.data.yaml.NodeReader {

    NodeReader(YamlProblems problems) {
        super(problems);
    }

    static String article(StepType type) {
        String label = type.label();
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label + " step";
    }
}
