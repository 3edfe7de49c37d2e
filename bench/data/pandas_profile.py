"""The pandas baseline of bench/data: describe() plus value_counts() and isna().sum() per column.

Debian 12's python3-pandas (1.5.3) has no Parquet engine (no pyarrow or fastparquet package), so it
reads the same rows from a CSV copy; the load and the profile are timed apart and both reported.
Run with /usr/bin/python3. Prints one JSON line.
"""
import json
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
dtypes = {f"cat{i}": "object" for i in range(5)}
df = pd.read_csv(path, dtype=dtypes)
t1 = time.perf_counter()
describe = df.describe(include="all")
counts = {c: df[c].value_counts() for c in df.columns}
missing = df.isna().sum()
t2 = time.perf_counter()
print(json.dumps({"rows": len(df), "load_seconds": t1 - t0, "profile_seconds": t2 - t1,
                  "pandas": pd.__version__, "columns": len(describe.columns), "missing_total": int(missing.sum()),
                  "distinct_cat0": int(len(counts["cat0"]))}))
