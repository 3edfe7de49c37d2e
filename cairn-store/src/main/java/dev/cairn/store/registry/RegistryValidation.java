package dev.cairn.store.registry;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.store.tracking.Validation;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks of registry input, with MLflow's rules and wording where MLflow has them. */
final class RegistryValidation {

    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$");
    private static final Pattern VERSION_LIKE_ALIAS = Pattern.compile("^[vV]\\d+$");

    private RegistryValidation() {}

    /**
     * MLflow accepts any non-empty name (unicode, '/', ':', a leading '_'); Cairn does too, within
     * {@link ModelReference#NAME} so that every registered name can be written as a {@code models:/} URI.
     */
    static void modelName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw CairnException.invalid(field, name, "a registered model name (it cannot be empty)");
        }
        if (!ModelReference.NAME.matcher(name).matches()) {
            throw CairnException.invalid(field, name.replace("\0", "\\0"), "a name of 1 to 256 characters without NUL");
        }
    }

    static void tag(Tag tag) {
        if (tag == null) throw CairnException.invalid("tag", null, "a tag");
        Validation.name("Tag", tag.key());
        Validation.length("Tag key", Validation.MAX_MODEL_REGISTRY_TAG_KEY_LENGTH, tag.key());
        Validation.length("Tag value", Validation.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH, tag.value());
    }

    static void alias(String alias) {
        if (alias == null || alias.isEmpty()) throw CairnException.invalid("alias", alias, "a non-empty alias name");
        if (!ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("alias", alias, "a name of alphanumerics, underscores (_) and dashes (-)");
        }
        Validation.length("Registered model alias name", Validation.MAX_REGISTERED_MODEL_ALIAS_LENGTH, alias);
        if (alias.toLowerCase(Locale.ROOT).equals("latest")) {
            throw new CairnException(dev.cairn.core.error.ErrorCode.INVALID_PARAMETER_VALUE,
                    "'latest' alias name (case insensitive) is reserved.", Map.of("field", "alias", "value", alias, "expected", "another name"));
        }
        if (VERSION_LIKE_ALIAS.matcher(alias).matches()) {
            throw new CairnException(dev.cairn.core.error.ErrorCode.INVALID_PARAMETER_VALUE,
                    "Version alias name '" + alias + "' is reserved.", Map.of("field", "alias", "value", alias, "expected", "a name not of the form v<number>"));
        }
    }

    /** MLflow's canonical stage name, matched case-insensitively. */
    static String stage(String stage) {
        if (stage != null) {
            for (String known : RegistryReader.STAGES) {
                if (known.equalsIgnoreCase(stage.trim())) return known;
            }
        }
        throw CairnException.invalid("stage", stage, "one of None, Staging, Production, Archived");
    }
}
