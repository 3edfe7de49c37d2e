package dev.cairn.examples.embedding;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Scores one credit customer with a Cairn model package, the way a Java service embeds a model:
 * the only dependency is {@code dev.cairn:cairn-runtime}; no Cairn server, store or network.
 *
 * <pre>
 * java -cp ... dev.cairn.examples.embedding.CreditScorer champion/ ['{"duration": 24, "age": 35, ...}']
 * </pre>
 *
 * {@code args[0]} is the model package (a directory holding model.yaml, or its zip), e.g. the
 * champion written by {@code cairn models download models:/credit-risk@champion --to champion};
 * {@code args[1]} is the customer as a JSON object (default: the first customer of the German
 * credit data). Prints the label and the probability of each class; exit code 2 when the customer
 * does not match the model's signature.
 */
public final class CreditScorer {

    private CreditScorer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CreditScorer <model-package-dir-or-zip> [customer-json]");
            System.exit(2);
        }
        Map<String, Object> customer = args.length == 2
                ? new ObjectMapper().readValue(args[1], new TypeReference<LinkedHashMap<String, Object>>() {})
                : exampleCustomer();

        // Load once when the service starts: this verifies every file's SHA-256 and model.yaml.
        // A Model is thread-safe, so one instance serves every request; close it on shutdown.
        try (Model model = Models.load(Path.of(args[0]))) {
            // Input is checked against the model's signature (types, allowed values, ranges) before
            // it reaches the model: a bad request is refused with every problem named, never
            // silently scored.
            Prediction prediction = model.predict(customer);
            System.out.println("label: " + prediction.label());
            prediction.probabilities().forEach((label, p) ->
                    System.out.println(String.format(Locale.ROOT, "probability %s: %.6f", label, p)));
        } catch (InvalidInputException e) {
            for (FieldError error : e.errors()) {
                System.err.println("invalid input: " + error);
            }
            System.exit(2);
        } catch (CairnException e) {
            // A missing, tampered or incompatible package: its message names the file and what is wrong.
            System.err.println("cannot score: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Customer 100001 of credit-g.csv, as the service would map it from its own request. */
    public static Map<String, Object> exampleCustomer() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("checking_status", "<0");
        c.put("duration", 6);
        c.put("credit_history", "critical/other existing credit");
        c.put("purpose", "radio/tv");
        c.put("credit_amount", 1169);
        c.put("savings_status", "no known savings");
        c.put("employment", ">=7");
        c.put("installment_commitment", 4);
        c.put("personal_status", "male single");
        c.put("other_parties", "none");
        c.put("residence_since", 4);
        c.put("property_magnitude", "real estate");
        c.put("age", 67);
        c.put("other_payment_plans", "none");
        c.put("housing", "own");
        c.put("existing_credits", 2);
        c.put("job", "skilled");
        c.put("num_dependents", 1);
        c.put("own_telephone", "yes");
        c.put("foreign_worker", "yes");
        return c;
    }
}
