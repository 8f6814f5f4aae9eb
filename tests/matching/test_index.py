import threading
from pathlib import Path

import pytest

from hbm.matching import IndexFormatError, PersonIndex, PersonRecord, default_model


def build(recs: list[PersonRecord]) -> PersonIndex:
    ix = PersonIndex(default_model(2026))
    ix.add_many(recs)
    return ix


def test_search_finds_duplicates(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, truth = synthetic
    ix = build(recs)
    byid = {r.id: r for r in recs}
    found = 0
    for a, b in sorted(truth):
        hits = ix.search(byid[a], limit=10)
        assert all(h.id != a for h in hits)
        assert [h.weight for h in hits] == sorted((h.weight for h in hits), reverse=True)
        found += any(h.id == b for h in hits)
    assert found / len(truth) > 0.97
    top = ix.search(byid[sorted(truth)[0][0]], limit=3)[0]
    assert top.explanation.weight == top.weight and 0 <= top.probability <= 1


def test_cross_script_search() -> None:
    ix = build(
        [
            PersonRecord(
                "1",
                given_name="Mohammed",
                family_name="Hassan",
                date_of_birth="1990-03-04",
                sex="M",
            ),
            PersonRecord("2", given_name="Ahmed", family_name="Karimi"),
        ]
    )
    hits = ix.search(PersonRecord("q", given_name="محمد حسن", date_of_birth="1990"))
    assert hits and hits[0].id == "1"


def test_remove_stops_matching_at_once(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, truth = synthetic
    ix = build(recs)
    a, b = sorted(truth)[0]
    byid = {r.id: r for r in recs}
    assert b in {h.id for h in ix.search(byid[a])}
    assert ix.remove(b) and not ix.remove(b)
    assert b not in {h.id for h in ix.search(byid[a], limit=1000)}
    assert b not in ix and len(ix) == len(recs) - 1
    ix.add(byid[b])
    assert b in {h.id for h in ix.search(byid[a])}


def test_save_load_round_trip(tmp_path: Path, synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, _truth = synthetic
    ix = build(recs)
    ix.remove(recs[5].id)
    path = tmp_path / "ix.bin"
    ix.save(path)
    again = PersonIndex.load(path)
    assert len(again) == len(ix)
    assert again.get(recs[7].id) == recs[7]
    for r in recs[:50]:
        got = [(m.id, round(m.weight, 9)) for m in again.search(r)]
        assert got == [(m.id, round(m.weight, 9)) for m in ix.search(r)]
    (tmp_path / "junk").write_bytes(b"not an index")
    with pytest.raises(IndexFormatError):
        PersonIndex.load(tmp_path / "junk")


def test_concurrent_search_while_writing(synthetic) -> None:  # type: ignore[no-untyped-def]
    recs, _truth = synthetic
    ix = build(recs[:1000])
    expected = {r.id: [m.id for m in ix.search(r)] for r in recs[:200]}
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(3):
                for r in recs[:200]:
                    ix.search(r)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def writer() -> None:
        for r in recs[1000:]:
            ix.add(r)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(ix) == len(recs)
    assert expected  # searches ran; results after writes may legitimately differ


def test_a_search_can_compare_fewer_records_than_the_index_default() -> None:
    """Candidates are ranked by the keys they share: a smaller cap keeps the best ones."""
    query = PersonRecord("q", given_name="Amina", family_name="Deng", date_of_birth="1990-03-04")
    same = PersonRecord("same", given_name="Amina", family_name="Deng", date_of_birth="1990-03-04")
    namesakes = [
        PersonRecord(f"n{i}", given_name="Amina", family_name="Deng", date_of_birth=f"{1950 + i}")
        for i in range(30)
    ]
    ix = build([*namesakes, same])
    everyone = ix.search(query, limit=50)
    assert len(everyone) == 31
    capped = ix.search(query, limit=50, max_candidates=5)
    assert len(capped) == 5 and capped[0].id == "same"
    assert len(ix.candidates(ix.features_of(query), 5)) == 5
