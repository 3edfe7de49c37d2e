package dev.cairn.train.reproduce;

/**
 * One thing that differs between a recorded run and its reproduction: {@code kind} is
 * {@code data}, {@code schema}, {@code parameter}, {@code library}, {@code preprocessing}, {@code signature}
 * or {@code model}.
 */
public record Difference(String kind, String name, String recorded, String current) {

    /**
     * Whether this difference alone means the run did not reproduce: different input data or
     * schema, or a different package (signature, preprocessing, model file). A library version or
     * a parameter the run did not record only explains a difference; when the package comes out
     * the same despite it, the run still reproduced.
     */
    public boolean failsReproduction() {
        return switch (kind) {
            case "library", "parameter" -> false;
            default -> true;
        };
    }

    @Override
    public String toString() {
        return kind + " '" + name + "': recorded " + recorded + ", now " + current;
    }
}
