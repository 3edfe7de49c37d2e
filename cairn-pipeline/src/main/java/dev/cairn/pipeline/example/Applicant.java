package dev.cairn.pipeline.example;

import java.util.List;

/**
 * A customer's credit application: the 20 attributes of the German credit data (credit-g), as the
 * {@code customers} table holds them. Texts are credit-g's own category values; amounts are in Deutsche Mark.
 */
record Applicant(String checkingStatus, int duration, String creditHistory, String purpose, int creditAmount,
                 String savingsStatus, String employment, int installmentCommitment, String personalStatus,
                 String otherParties, int residenceSince, String propertyMagnitude, int age, String otherPaymentPlans,
                 String housing, int existingCredits, String job, int numDependents, String ownTelephone,
                 String foreignWorker) {

    /** The columns in table order, as credit-g names them. */
    static final List<String> COLUMNS = List.of("checking_status", "duration", "credit_history",
            "purpose", "credit_amount", "savings_status", "employment", "installment_commitment", "personal_status",
            "other_parties", "residence_since", "property_magnitude", "age", "other_payment_plans", "housing",
            "existing_credits", "job", "num_dependents", "own_telephone", "foreign_worker");

    /** The values in {@link #COLUMNS} order: Integer or String. */
    Object[] values() {
        return new Object[] {checkingStatus, duration, creditHistory, purpose, creditAmount, savingsStatus, employment,
                installmentCommitment, personalStatus, otherParties, residenceSince, propertyMagnitude, age,
                otherPaymentPlans, housing, existingCredits, job, numDependents, ownTelephone, foreignWorker};
    }

    Applicant withAge(int newAge) {
        return new Applicant(checkingStatus, duration, creditHistory, purpose, creditAmount, savingsStatus, employment,
                installmentCommitment, personalStatus, otherParties, residenceSince, propertyMagnitude, newAge,
                otherPaymentPlans, housing, existingCredits, job, numDependents, ownTelephone, foreignWorker);
    }

    Applicant withLoan(String newPurpose, int newDuration, int newCreditAmount) {
        return new Applicant(checkingStatus, newDuration, creditHistory, newPurpose, newCreditAmount, savingsStatus,
                employment, installmentCommitment, personalStatus, otherParties, residenceSince, propertyMagnitude, age,
                otherPaymentPlans, housing, existingCredits, job, numDependents, ownTelephone, foreignWorker);
    }
}
