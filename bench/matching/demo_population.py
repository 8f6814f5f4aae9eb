"""Duplicate detection on the labelled demo population (19,000 invented registrations at the
DR Congo's north-eastern borders; a person who returns keeps the uid of their first
registration). Every record is searched against the index of all the others; a pair above
the threshold is a predicted duplicate, a pair sharing a uid is a true one.

    python bench/matching/demo_population.py [--scale 1.0]
"""

import argparse
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from matching._report import machine, write_section  # noqa: E402
from matching.namesakes import _django  # noqa: E402

from hbm.demo.people import demo_population  # noqa: E402
from hbm.matching import PersonIndex, PersonRecord  # noqa: E402

THRESHOLDS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 0.8)


def records(scale: float) -> tuple[list[PersonRecord], dict[str, int]]:
    out, uid = [], {}
    for group in demo_population(scale=scale):
        for n, m in enumerate(group.members):
            rid = f"{group.key}-{n}"
            uid[rid] = m.uid
            out.append(
                PersonRecord(
                    id=rid,
                    given_name=m.given_name,
                    family_name=m.family_name,
                    father_name=m.father_name,
                    sex=m.sex,
                    date_of_birth=m.date_of_birth,
                    age_estimate=m.age_estimate,
                    nationality=m.nationality,
                    document_number=m.document_number,
                    place_of_origin=m.place_of_origin,
                    other_names=m.name_original_script,
                )
            )
    return out, uid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    people, uid = records(args.scale)
    by_uid: dict[int, list[str]] = {}
    for rid, u in uid.items():
        by_uid.setdefault(u, []).append(rid)
    truth = {frozenset(p) for ids in by_uid.values() for p in combinations(ids, 2)}
    _django()
    from hbm.registry.identity import RETURNING_SHARE
    from hbm.registry.services import REVIEW_THRESHOLD

    started = time.perf_counter()
    index = PersonIndex()
    index.add_many(people)
    best: dict[frozenset[str], float] = {}
    for record in people:  # as the rescan searches (registry.duplicates)
        found = index.search(
            record, limit=10, threshold=min(THRESHOLDS), match_share=RETURNING_SHARE
        )
        for match in found:
            if match.id != record.id:
                pair = frozenset((record.id, match.id))
                best[pair] = max(best.get(pair, 0.0), match.probability)
    elapsed = time.perf_counter() - started
    lines = [
        f"Machine: {machine()}. {len(people):,} records, {len(truth):,} true duplicate pairs; "
        f"index + {len(people):,} searches in {elapsed:.0f} s.\n",
        "| threshold | predicted pairs | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for threshold in THRESHOLDS:
        predicted = {p for p, prob in best.items() if prob >= threshold}
        hits = len(predicted & truth)
        precision = hits / len(predicted) if predicted else 0.0
        recall = hits / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        mark = " (product)" if threshold == REVIEW_THRESHOLD else ""
        lines.append(
            f"| {threshold}{mark} | {len(predicted):,} | {precision:.3f} | {recall:.3f} "
            f"| {f1:.3f} |"
        )
    table = "\n".join(lines)
    print(table)
    write_section(
        "demo-population", "## Duplicates in the labelled demo population (NE DR Congo)\n\n" + table
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
