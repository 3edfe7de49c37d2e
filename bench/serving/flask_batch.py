"""Batch baseline beside `cairn score`: the Flask baseline's pickled scikit-learn pipeline
(written by ../shared/bench/baseline-flask/serve.py train) scoring a CSV in one process.

    /usr/bin/python3 flask_batch.py model.pkl rows.csv

Prints the wall seconds of each step: loading the model, pandas.read_csv, predict_proba (and
labels from it), and their total (interpreter start and imports excluded; run.sh times the whole
command as well). Nothing is written (Debian's pandas has no Parquet engine), so the baseline
does less than `cairn score`.
"""
import pickle
import sys
import time

import pandas as pd


def main(model_path, csv_path):
    t0 = time.perf_counter()
    with open(model_path, "rb") as f:
        bundle = pickle.load(f)
    pipe, columns = bundle["pipeline"], bundle["columns"]
    t1 = time.perf_counter()
    df = pd.read_csv(csv_path)[columns]
    t2 = time.perf_counter()
    proba = pipe.predict_proba(df)
    labels = pipe.classes_[proba.argmax(axis=1)]
    t3 = time.perf_counter()
    assert len(labels) == len(df)
    print(f"PYBATCH rows={len(df)} load_model_s={t1 - t0:.3f} read_csv_s={t2 - t1:.3f} "
          f"predict_s={t3 - t2:.3f} total_s={t3 - t0:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
