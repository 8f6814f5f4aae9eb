"""Clusters of records: connected components of matching pairs, with stable ids.

A cluster's id is the smallest record id (string order) in it, so it does not depend on
the order pairs were found in. :class:`Clustering` can be updated incrementally.
"""

from __future__ import annotations

from collections.abc import Iterable


class Clustering:
    """Union–find over record ids; ``cluster_id(x)`` is the smallest id of x's component."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._parent: dict[str, str] = {}
        for rid in ids:
            self.add(rid)

    def __len__(self) -> int:
        return len(self._parent)

    def add(self, rid: str) -> None:
        """Add a singleton (no-op if known)."""
        self._parent.setdefault(rid, rid)

    def _find(self, rid: str) -> str:
        parent = self._parent
        root = rid
        while parent[root] != root:
            root = parent[root]
        while parent[rid] != root:
            parent[rid], rid = root, parent[rid]
        return root

    def union(self, a: str, b: str) -> str:
        """Join the clusters of a and b (adding them if new); returns the cluster id."""
        self.add(a)
        self.add(b)
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        lo, hi = (ra, rb) if ra < rb else (rb, ra)
        self._parent[hi] = lo
        return lo

    def add_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Union every pair."""
        for a, b in pairs:
            self.union(a, b)

    def cluster_id(self, rid: str) -> str:
        """Stable cluster id of a record (the smallest id in its cluster)."""
        return self._find(rid)

    def assignments(self) -> dict[str, str]:
        """Record id → cluster id, for every record."""
        return {rid: self._find(rid) for rid in self._parent}

    def clusters(self) -> dict[str, list[str]]:
        """Cluster id → sorted member ids."""
        out: dict[str, list[str]] = {}
        for rid in self._parent:
            out.setdefault(self._find(rid), []).append(rid)
        for members in out.values():
            members.sort()
        return out
