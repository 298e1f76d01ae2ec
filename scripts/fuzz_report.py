"""What the fuzzer reached, operation by operation, from schemathesis's ndjson reports.

Prints one line per operation of the OpenAPI document with the status codes its answers had,
then fails (exit 1) when an operation never answered 2xx: its logic was never exercised, only
the refusals in front of it.

Usage: python fuzz_report.py OPENAPI_URL_OR_FILE REPORT.ndjson...
"""
import json
import sys
from collections import Counter

import requests

METHODS = ("get", "put", "post", "delete", "patch")


def load(source):
    if source.startswith(("http://", "https://")):
        return requests.get(source, timeout=20).json()
    with open(source) as f:
        return json.load(f)


def main(source, reports):
    document = load(source)
    operations = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                operations[(method.upper(), path)] = operation.get("operationId", f"{method.upper()} {path}")
    seen = {key: Counter() for key in operations}
    for report in reports:
        with open(report) as f:
            for line in f:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                finished = event.get("ScenarioFinished") if isinstance(event, dict) else None
                if not finished:
                    continue
                recorder = finished.get("recorder") or {}
                cases = recorder.get("cases") or {}
                for case_id, interaction in (recorder.get("interactions") or {}).items():
                    case = (cases.get(case_id) or {}).get("value") or {}
                    key = (str(case.get("method", "")).upper(), case.get("path"))
                    status = (interaction.get("response") or {}).get("status_code")
                    # Requests with a method the path does not declare belong to no operation.
                    if key in seen and status is not None:
                        seen[key][status] += 1
    width = max(len(name) for name in operations.values())
    print(f"{'operation':<{width}}  {'requests':>8}  {'2xx':>5}  status codes")
    missing = []
    for key in sorted(operations, key=lambda k: (k[1], k[0])):
        counts = seen[key]
        succeeded = sum(n for status, n in counts.items() if 200 <= status < 300)
        codes = " ".join(f"{status}:{n}" for status, n in sorted(counts.items()))
        print(f"{operations[key]:<{width}}  {sum(counts.values()):>8}  {succeeded:>5}  {codes}")
        if not succeeded:
            missing.append(f"{operations[key]} ({key[0]} {key[1]}): {codes or 'no request'}")
    reached = len(operations) - len(missing)
    print(f"{reached} of {len(operations)} operations answered 2xx at least once")
    if missing:
        print("never answered 2xx (their logic was not exercised):", file=sys.stderr)
        for line in missing:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
