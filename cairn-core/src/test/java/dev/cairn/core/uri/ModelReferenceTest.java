package dev.cairn.core.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelReferenceTest {

    @Test
    void aVersionUriNamesTheModelAndTheVersion() {
        assertThat(ModelReference.parse("models:/credit-risk/3")).isEqualTo(new ModelReference.ByVersion("credit-risk", 3));
    }

    @Test
    void anAliasUriNamesTheModelAndTheAlias() {
        assertThat(ModelReference.parse("models:/credit risk@champion")).isEqualTo(new ModelReference.ByAlias("credit risk", "champion"));
    }

    @Test
    void namesMlflowAcceptsParseInBothForms() {
        // MLflow accepts any non-empty model name: unicode, '/', ':', '@', a leading '_'.
        for (String name : new String[] {"team/fraud", "ns:model", "_private", "modèle-ünïcode", "a@b", "../x", "日本語"}) {
            assertThat(ModelReference.parse("models:/" + name + "/12")).as(name).isEqualTo(new ModelReference.ByVersion(name, 12));
            assertThat(ModelReference.parse("models:/" + name + "@champion")).as(name).isEqualTo(new ModelReference.ByAlias(name, "champion"));
            assertThat(ModelReference.parse(new ModelReference.ByVersion(name, 12).toString())).isEqualTo(new ModelReference.ByVersion(name, 12));
        }
    }

    @Test
    void aRunsUriNamesTheRunAndThePathWithoutTrailingSlashes() {
        assertThat(ModelReference.parse("runs:/0123456789abcdef0123456789abcdef/model/"))
                .isEqualTo(new ModelReference.RunArtifact("0123456789abcdef0123456789abcdef", "model"));
        assertThat(ModelReference.parse("runs:/0123456789abcdef0123456789abcdef"))
                .isEqualTo(new ModelReference.RunArtifact("0123456789abcdef0123456789abcdef", ""));
    }

    @Test
    void anythingElseIsAStorageLocation() {
        assertThat(ModelReference.parse("s3://bucket/models/credit")).isEqualTo(new ModelReference.Location("s3://bucket/models/credit"));
        assertThat(ModelReference.parse("/tmp/model")).isEqualTo(new ModelReference.Location("/tmp/model"));
    }

    @Test
    void referencesPrintAsTheUriTheyWereParsedFrom() {
        for (String uri : new String[] {"models:/credit-risk/3", "models:/credit-risk@champion", "runs:/abc/model"}) {
            assertThat(ModelReference.parse(uri).toString()).isEqualTo(uri);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "models:/", "models:/credit-risk", "models:/credit-risk/0", "models:/credit-risk/x",
            "models:/credit-risk@", "models:/credit-risk@9bad", "models:/a\u0000b/1", "models:/"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/1", "runs:/", "runs:/bad run/model"})
    void malformedUrisAreRefusedNamingTheFieldAndWhatWasExpected(String uri) {
        assertThatThrownBy(() -> ModelReference.parse(uri))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.details()).containsEntry("field", "model_uri").containsKey("expected");
                });
    }
}
