package dev.cairn.data.profile;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataJson;

/** A profile's stable JSON form: the format name first, then the values, then the sketches. */
public final class ProfileJson {
    private ProfileJson() {}

    public static String write(DatasetProfile profile) {
        return DataJson.write(profile);
    }

    public static DatasetProfile read(String json) {
        DatasetProfile profile = DataJson.read(json, DatasetProfile.class, "profile");
        if (!DatasetProfile.FORMAT.equals(profile.format())) {
            throw CairnException.invalid("format", profile.format(), DatasetProfile.FORMAT);
        }
        return profile;
    }
}
