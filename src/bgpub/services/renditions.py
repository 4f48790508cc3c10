"""The image provider builds and publishes hand the renderer: encoded images cached in the blob store.

An image output (a rendition, an icon, a share card) is named by its job key: the sha256 of the
source's hash, size, format, quality and encoder. `image_renditions` maps an organization's keys to
blobs, so a rebuild, a build into another folder, a republish or a team-mate's build never encodes
the same image again; the bytes are stored once (content-addressed) however many versions use them.
Misses are encoded on every core (forked workers, one source image per task, decoded once).

A build may leave drawn share cards out of the store (`keep_drawn=False`): a card is remade from
its title and the theme in ~0.6-0.9 ms of a worker's CPU, while storing it (its blob and row, ~13 KB)
cost ~0.22 ms of the parent's, which every build's render waits for, and a build's own render cache
keeps its cards for the next build. Cards already stored (by a publish or a preview) are still read.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Generator, Iterator, Sequence

from peewee import DatabaseError

from bgpub.db.connection import database
from bgpub.db.models import ImageRendition
from bgpub.render.images import ImageJob, job_batches, produce_group
from bgpub.render.parallel import worker_count
from bgpub.services import blobs
from bgpub.services.sources import render_workers

KEY_BATCH = 500
LOOKUP_BATCH = 2000  # keys looked up (and their stored bytes held) at a time: ~30 MB of share cards
PARALLEL_MIN = 2  # batches (one source image's jobs, or up to 100 drawn cards) before forking


def _lookup_sql(count: int) -> str:
    """The select of an organization's stored keys among `count` keys, as plain SQL: Peewee building
    a 500-key IN list was ~4% of a cold 10,000-page build's samples (py-spy), ~10x this (10,000
    keys: ~100 ms of CPU against ~10 ms, in process)."""
    table, param = ImageRendition._meta.table_name, database.param
    return (
        f"SELECT {ImageRendition.key.column_name}, {ImageRendition.blob.column_name} FROM {table}"
        f" WHERE {ImageRendition.organization.column_name} = {param}"
        f" AND {ImageRendition.key.column_name} IN ({', '.join([param] * count)})"
    )


def drawn_card(job: ImageJob) -> bool:
    """A share card drawn from text and the theme's colours (no uploaded image behind it)."""
    return job.kind == "card" and not job.source


class StoredImages:
    """An `ImageProvider` for one organization: cached jobs from the database and the blob store,
    the rest encoded (in parallel when there are several sources) and stored. `encoded` counts the
    jobs this provider encoded; `reused` those it found stored. With `keep_drawn=False` drawn share
    cards are encoded but not stored (see the module's docstring); renditions, icons and cards
    cropped from an uploaded image always are."""

    def __init__(
        self, organization_id: str, workers: int | None = None, *, keep_drawn: bool = True
    ):
        self.organization_id = organization_id
        self.workers = worker_count(render_workers()) if workers is None else workers
        self.keep_drawn = keep_drawn
        self.encoded = 0
        self.reused = 0

    def __call__(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for group in self.groups(jobs, source):
            found.update(group)
        return found

    def groups(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> Generator[dict[str, bytes], None, None]:
        """Stored jobs first (a lookup's worth at a time), then the rest as each group is encoded:
        one pool of workers for all of a render's jobs, the caller writing each group away while
        the workers encode the next (it used to get a 2,000-job batch at a time, each batch
        forking its own pool and coming back only once all of it was encoded)."""
        unique = {job.key: job for job in jobs}
        keys = list(unique)
        missing: list[ImageJob] = []
        for start in range(0, len(keys), LOOKUP_BATCH):
            chunk = keys[start : start + LOOKUP_BATCH]
            found = self._stored(chunk)
            self.reused += len(found)
            missing.extend(unique[key] for key in chunk if key not in found)
            if found:
                yield found
        unkept = set() if self.keep_drawn else {job.key for job in missing if drawn_card(job)}
        for made in self._encode(missing, source):
            self.encoded += len(made)
            kept = {key: data for key, data in made.items() if key not in unkept}
            if kept:
                self._store(kept)
            yield made

    def _stored(self, keys: list[str]) -> dict[str, bytes]:
        """Bytes of the keys this organization has encoded before (a lost blob is encoded again)."""
        by_blob: dict[str, list[str]] = {}
        for start in range(0, len(keys), KEY_BATCH):
            chunk = keys[start : start + KEY_BATCH]
            for key, blob in database.execute_sql(
                _lookup_sql(len(chunk)), [self.organization_id, *chunk]
            ).fetchall():
                by_blob.setdefault(blob, []).append(key)
        present = blobs.has_many(by_blob)
        found: dict[str, bytes] = {}
        wanted = sorted(present)
        for start in range(0, len(wanted), 50):  # encoded images are big: a few at a time
            for blob, data in blobs.get_many(wanted[start : start + 50]).items():
                for key in by_blob[blob]:
                    found[key] = data
        return found

    def _encode(
        self, jobs: list[ImageJob], source: Callable[[str], bytes]
    ) -> Iterator[dict[str, bytes]]:
        groups = job_batches(jobs)
        if not groups:
            return
        parallel = (
            len(groups) >= PARALLEL_MIN
            and self.workers > 1
            and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
        )
        if not parallel:
            for src, group in groups:
                yield produce_group(group, source(src) if src else None)
            return
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        try:
            # sources are read here, a bounded number ahead of the workers, so memory stays small
            pending = []
            ahead = self.workers * 2
            for src, group in groups:
                pending.append(pool.submit(produce_group, group, source(src) if src else None))
                if len(pending) >= ahead:
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()
        finally:  # a caller that stops early (its render failed) does not wait for the rest
            pool.shutdown(wait=True, cancel_futures=True)

    def _store(self, made: dict[str, bytes]) -> None:
        """Keeps encoded bytes for next time; a login that may not write (a VIEWER's build) still
        gets its images, just not cached."""
        digests = {key: blobs.digest(data) for key, data in made.items()}
        rows = [
            {
                "organization": self.organization_id,
                "key": key,
                "blob": digests[key],
                "size": len(made[key]),
            }
            for key in made
        ]
        try:
            with database.atomic():
                blobs.put_many({digests[k]: made[k] for k in made}, verify=False)
                ImageRendition.insert_many(rows).on_conflict_ignore().execute()
        except DatabaseError:
            return
