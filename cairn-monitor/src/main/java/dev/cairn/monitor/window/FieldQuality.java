package dev.cairn.monitor.window;

/**
 * Data-quality counts of one input field over a window's accepted rows, against the model's signature:
 * values missing (null, blank or NaN), of the wrong type (text that is no number, a boolean spelled
 * otherwise), outside the signature's numeric range, and categories outside its domain. Requests the
 * server refused are counted apart ({@link WindowState#refusedByField()}), since their rows were never scored.
 */
public record FieldQuality(long missing, long typeErrors, long outOfRange, long unseen) {
    public static final FieldQuality NONE = new FieldQuality(0, 0, 0, 0);

    public FieldQuality plus(FieldQuality o) {
        return new FieldQuality(missing + o.missing, typeErrors + o.typeErrors, outOfRange + o.outOfRange, unseen + o.unseen);
    }
}
