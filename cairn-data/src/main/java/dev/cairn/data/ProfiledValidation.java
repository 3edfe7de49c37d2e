package dev.cairn.data;

import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.profile.DatasetProfile;

/** A dataset's profile and its validation, from one reading of the data. */
public record ProfiledValidation(DatasetProfile profile, ValidationResult validation) {}
