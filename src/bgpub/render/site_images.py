"""Every image output a site plan needs, without encoding anything: renditions of image assets,
icons, the web manifest and a share card per page and post (paths and jobs only)."""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Callable
from typing import Any

from bgpub.render.icons import SiteIcons, plan_icons
from bgpub.render.images import ENGINE as IMAGE_ENGINE
from bgpub.render.images import ImageJob, ImageSet, ImageSettings, plan_image
from bgpub.render.social_cards import card_job, card_path, theme_font

# The cards of the last plan, for what every card shares (site name, theme tokens, card font):
# (slug, title, cover asset) -> (output path, job). A republish after a one-page edit of a
# 10,000-page site otherwise rebuilds 10,000 jobs and hashes their keys (0.6 s of a 2.4 s publish,
# bench/deploy_s3.py); with it, only the edited page's card is planned anew. One slot: planning
# another site replaces it, so a long-running editor or preview holds one site's cards at most.
_CARDS: list[Any] = [None, {}]
CardParts = tuple[str, ImageJob, str]  # a card's output path, its job, its URL
_PATH, _JOB = operator.itemgetter(0), operator.itemgetter(1)
MAX_REMEMBERED_CARDS = 100_000


class SiteImages:
    """Image outputs of one plan: `jobs` (output path -> ImageJob), `files` (plain bytes: the manifest),
    `copies` (output path -> blob hash: an SVG icon), share-card URLs by page and post.

    The pages' share cards are kept apart (`page_cards`, one (path, job, URL) per page, and
    `card_base`: the last plan's list and which pages differ from it when they were carried over),
    so a renderer that saw the last plan's cards looks at the changed ones alone; `other_jobs` are
    the rest. `jobs` merges them, in the order they were planned."""

    def __init__(
        self,
        snapshot: Any,
        chain: list[Any],
        tokens: dict[str, str],
        url: Callable[[str], str],
        where: str,
    ):
        # the nearest theme in the chain (the site's own, then its parents) that declares widths
        theme_widths = next((t.image_widths for t in chain if getattr(t, "image_widths", ())), None)
        self.settings = ImageSettings.from_settings(
            snapshot.settings, where, theme_widths=theme_widths
        )
        self.other_jobs: dict[str, ImageJob] = {}
        self.page_cards: list[CardParts] = []
        self.card_base: tuple[list[CardParts], list[int]] | None = None
        self._cards_at = 0  # how many other jobs were planned before the page cards
        self.sets: dict[str, ImageSet] = {}
        self._url = url
        self._snapshot = snapshot
        self._tokens = tokens
        self._font = theme_font(chain)
        self._site = snapshot.title or snapshot.name
        self.icons: SiteIcons = plan_icons(snapshot, tokens, url, where)
        self.other_jobs.update(self.icons.jobs)
        self.files = dict(self.icons.files)
        self.copies = {"icon.svg": self.icons.svg_source} if self.icons.svg_source else {}
        self._assets = {a.name: a for a in snapshot.assets}
        # the URL prefix too: a card's URL is remembered with its job
        shared = (self._site, tuple(sorted(tokens.items())), self._font, url("/"))
        # edits add, never remove: bounded, but never below twice this site's cards (with a fixed
        # bound, a site of 100,000 pages planned every card anew on every save of its preview)
        bound = max(MAX_REMEMBERED_CARDS, 2 * (len(snapshot.pages) + len(snapshot.posts) + 1))
        if _CARDS[0] != shared or len(_CARDS[1]) > bound:
            _CARDS[0], _CARDS[1] = shared, {}
        self._cards: dict[tuple[str, str, Any], CardParts] = _CARDS[1]
        self.shared = shared  # what every card of this plan depends on beyond its page

    def plan_asset(self, asset: Any, path: str) -> ImageSet | None:
        """The renditions of one asset (registering their output paths), or None when it gets none."""
        images = plan_image(asset, path, self.settings, self._url)
        if images is not None:
            self.sets[asset.name] = images
            self.other_jobs.update(images.paths)
        return images

    def crops(self, name: object) -> bool:
        """True when `name` is an image asset a share card can be cropped from (raster, known size)."""
        return isinstance(name, str) and name in self.sets

    def card(self, slug: str, title: str, cover: str | None = None) -> str:
        """The site-relative URL of a page's or post's share card (its cover cropped when it has one)."""
        path, job, url = self.card_parts(slug, title, cover)
        self.other_jobs[path] = job
        return url

    def card_parts(self, slug: str, title: str, cover: str | None = None) -> CardParts:
        """(output path, job, URL) of a share card, without registering its job (`card` does; a plan
        that carries many cards over registers them at once with `add_cards`)."""
        asset = self._assets[cover] if self.crops(cover) else None  # else a drawn card
        known = self._cards.get((slug, title, asset))
        if known is None:
            if asset is None:
                job = self._drawn.job(title)
            else:
                job = card_job(title, self._site, self._tokens, self._font, asset)
            path = card_path(slug, job)
            known = self._cards[(slug, title, asset)] = (path, job, self._url("/" + path))
        return known

    def add_cards(self, cards: list[CardParts]) -> None:
        """Registers the jobs of many cards, in order, at C speed."""
        self.other_jobs.update(zip(map(_PATH, cards), map(_JOB, cards), strict=True))

    def set_page_cards(
        self, cards: list[CardParts], base: tuple[list[CardParts], list[int]] | None = None
    ) -> None:
        """The pages' cards, one per page in order; `base` when they are the last plan's list
        (the very object) with the cards at the given indices planned again."""
        self._cards_at = len(self.other_jobs)
        self.page_cards, self.card_base = cards, base

    @property
    def jobs(self) -> dict[str, ImageJob]:
        """Every image job by output path, in the order planned (made on each call: a renderer
        carrying cards over reads `other_jobs` and the changed `page_cards` instead)."""
        if not self.page_cards:
            return dict(self.other_jobs)
        others = list(self.other_jobs.items())
        jobs = dict(others[: self._cards_at])
        jobs.update(zip(map(_PATH, self.page_cards), map(_JOB, self.page_cards), strict=True))
        jobs.update(others[self._cards_at :])
        return jobs

    @functools.cached_property
    def _drawn(self) -> DrawnCards:
        return DrawnCards(self._site, self._tokens, self._font)


class DrawnCards:
    """Jobs of drawn share cards of one site: everything but the title is shared, so each card's
    job and key are made from parts computed once (a new process plans 100,000 of them; the
    general path was ~20 us a card). `job(title)` equals `card_job(title, ...)`, key included."""

    _MARK = "\x00title\x00"

    def __init__(self, site: str, tokens: dict[str, str], font: tuple[str, str]):
        model = card_job(self._MARK, site, tokens, font)
        self._model = model
        self._rest = model.params[1:]
        text = repr(
            (
                IMAGE_ENGINE,
                model.kind,
                model.source,
                model.format,
                model.width,
                model.height,
                model.quality,
                model.params,
            )
        )
        # the title leads the card's params: the key's text is what precedes it, it, what follows
        self._before, _, self._after = text.partition(repr(self._MARK))
        # the shortcut only while it agrees with ImageJob.key's own formula (a changed formula
        # must never leave stale card names): a probe title is keyed both ways once
        probe = "Probe 'title' \u00e9"
        self._fast = self.job(probe).key == self._made(probe).key

    def _made(self, title: str) -> ImageJob:
        m = self._model
        return ImageJob(
            m.kind, m.source, m.format, m.width, m.height, m.quality,
            (("title", title), *self._rest), m.files,
        )  # fmt: skip

    def job(self, title: str) -> ImageJob:
        job = self._made(title)
        if not getattr(self, "_fast", True):
            return job
        text = self._before + repr(title) + self._after
        job.__dict__["key"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return job
