"""Printing benchmark results as a plain-text table."""

from __future__ import annotations


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Left-aligned columns; the first row is the header, underlined."""
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
        if j == 0:
            print("  ".join("-" * w for w in width))
