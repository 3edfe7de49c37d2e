package dev.cairn.data.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The YAML-with-lines reader that pipeline specs and feature definitions share. */
class YamlReaderTest {
    private static final YamlReader.Document DOCUMENT = new YamlReader.Document("definition file", "a mapping");

    @Test
    void everyKeyAndValueKnowsItsLine() {
        YamlProblems problems = new YamlProblems();
        YamlNode root = YamlReader.read("""
                name: spend
                features:
                  - name: total
                    window: 30d
                """, problems, DOCUMENT);
        assertThat(problems.isEmpty()).isTrue();
        YamlNode.Mapping top = (YamlNode.Mapping) root;
        assertThat(top.entry("features").line()).isEqualTo(2);
        YamlNode.Mapping feature = (YamlNode.Mapping) ((YamlNode.Sequence) top.get("features")).items().getFirst();
        assertThat(feature.line()).isEqualTo(3);
        assertThat(feature.get("window").line()).isEqualTo(4);
        assertThat(((YamlNode.Scalar) feature.get("window")).text()).isEqualTo("30d");
    }

    @Test
    void duplicateKeysAliasesEmptyAndSecondDocumentsAreProblemsWithTheirLines() {
        YamlProblems problems = new YamlProblems();
        YamlReader.read("a: 1\nb: &x 2\na: 3\nc: *x\n", problems, DOCUMENT);
        assertThat(problems.sorted()).extracting(YamlProblem::line).containsExactly(3, 4);
        assertThat(problems.sorted().get(0).message()).contains("duplicate key 'a' (first at line 1)");
        assertThat(problems.sorted().get(1).message()).contains("not supported in a definition file");

        YamlProblems empty = new YamlProblems();
        assertThat(YamlReader.read("# nothing\n", empty, DOCUMENT)).isNull();
        assertThat(empty.sorted().getFirst().message()).isEqualTo("the definition file is empty; expected a mapping");

        YamlProblems two = new YamlProblems();
        YamlReader.read("a: 1\n---\nb: 2\n", two, DOCUMENT);
        assertThat(two.sorted()).extracting(YamlProblem::line).as("where the second document begins").containsExactly(3);

        YamlProblems broken = new YamlProblems();
        assertThat(YamlReader.read("a: [1, 2\n", broken, DOCUMENT)).isNull();
        assertThat(broken.sorted().getFirst().message()).startsWith("not valid YAML");
    }

    @Test
    void theExceptionListsEveryProblemWithTheSourceAndLine() {
        YamlProblems problems = new YamlProblems();
        problems.add(4, 3, "feature_views.spend.ttl", "expected a duration");
        problems.add(2, 1, "entities", "expected a list");
        var e = problems.exception("defs.yaml", "feature_definitions");
        assertThat(e.getMessage()).isEqualTo("defs.yaml line 2, entities: expected a list\n"
                + "defs.yaml line 4, feature_views.spend.ttl: expected a duration");
        assertThat(e.details()).containsEntry("field", "feature_definitions").containsEntry("source", "defs.yaml");
        assertThat((List<?>) e.details().get("errors")).hasSize(2);
    }
}
