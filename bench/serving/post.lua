-- One credit-g customer per request, in MLflow's dataframe_records format (what the Flask baseline reads too).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dataframe_records": [{"checking_status": "<0", "duration": 6, "credit_history": "critical/other existing credit", "purpose": "radio/tv", "credit_amount": 1169, "savings_status": "no known savings", "employment": ">=7", "installment_commitment": 4, "personal_status": "male single", "other_parties": "none", "residence_since": 4, "property_magnitude": "real estate", "age": 67, "other_payment_plans": "none", "housing": "own", "existing_credits": 2, "job": "skilled", "num_dependents": 1, "own_telephone": "yes", "foreign_worker": "yes"}]}'
