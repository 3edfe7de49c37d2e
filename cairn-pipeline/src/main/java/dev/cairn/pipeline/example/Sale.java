package dev.cairn.pipeline.example;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/** One purchase, before it has a {@code sale_id}; the amount in cents, so it is exact on both databases. */
record Sale(int customerId, LocalDateTime soldAt, long cents, String channel, String category, String payment,
            boolean returned) {

    BigDecimal amount() {
        return BigDecimal.valueOf(cents, 2);
    }
}
