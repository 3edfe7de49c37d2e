package dev.cairn.cli.quickstart;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;

/**
 * Points the {@code champion} alias at the new version when there is no champion yet; with a
 * champion in place the new version becomes the {@code challenger}, to be promoted by the verdict
 * of an evaluation against the champion.
 */
final class PromoteStage implements Stage {

    @Override
    public String title() {
        return "Register: set the champion alias (audited)";
    }

    @Override
    public void run(Example example) {
        if (example.modelVersion == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "no model version was registered by the training stage");
        }
        ModelVersion champion = currentChampion(example);
        if (champion == null) {
            example.client.setAlias(Example.MODEL, "champion", example.modelVersion, "first model of the quickstart");
            example.say(Example.MODEL + "@champion -> version " + example.modelVersion + " (no champion before)");
        } else {
            example.client.setAlias(Example.MODEL, "challenger", example.modelVersion, "trained by cairn quickstart");
            example.say(Example.MODEL + "@champion stays version " + champion.version() + "; version " + example.modelVersion
                    + " is the challenger");
        }
        example.pointTo("the champion", "models:/" + Example.MODEL + "@champion");
    }

    private static ModelVersion currentChampion(Example example) {
        try {
            return example.client.getModelVersionByAlias(Example.MODEL, "champion");
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return null;
            throw e;
        }
    }
}
