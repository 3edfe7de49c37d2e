package dev.cairn.data.check;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as people read them in results and reports: 12, 0.25, 1.23457e+09. */
public final class Numbers {
    private Numbers() {}

    public static String format(Double v) {
        if (v == null) return "null";
        if (v.isNaN() || v.isInfinite()) return v.toString();
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toString();
    }
}
