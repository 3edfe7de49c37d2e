package dev.cairn.pipeline.example;

import java.time.LocalDateTime;

/**
 * A customer as the simulation knows it: the application, the true label (whether or not the master data knows
 * it yet) and when the customer registered.
 */
record Customer(int id, Applicant applicant, String label, LocalDateTime registeredAt) {

    boolean bad() {
        return "bad".equals(label);
    }

    long registeredDay() {
        return registeredAt.toLocalDate().toEpochDay();
    }
}
