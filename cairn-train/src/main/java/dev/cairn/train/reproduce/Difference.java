package dev.cairn.train.reproduce;

/**
 * One thing that differs between a recorded run and its reproduction: {@code kind} is
 * {@code data}, {@code schema}, {@code parameter}, {@code library}, {@code preprocessing}, {@code signature}
 * or {@code model}.
 */
public record Difference(String kind, String name, String recorded, String current) {

    @Override
    public String toString() {
        return kind + " '" + name + "': recorded " + recorded + ", now " + current;
    }
}
