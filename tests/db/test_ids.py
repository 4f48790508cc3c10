"""Primary keys: the design document's CUID2 shape, and no repeats in a large batch."""

from __future__ import annotations

import re
from collections import Counter

from bgpub.db.fields import new_id

SHAPE = re.compile(r"[a-z][a-z0-9]{23}")


def test_keys_have_the_cuid2_shape_and_do_not_repeat():
    keys = [new_id() for _ in range(100_000)]
    assert all(SHAPE.fullmatch(k) for k in keys)
    assert len(set(keys)) == len(keys)
    # every character position takes every value: no fixed or missing digit (a broken encoding)
    for position in range(1, 24):
        assert len({k[position] for k in keys[:5000]}) == 36
    assert len(Counter(k[0] for k in keys)) == 26
