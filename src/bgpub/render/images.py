"""Responsive images: which renditions an image asset gets, their names, the `<picture>` markup, and
the pure encoder that makes them (oriented, sRGB, every metadata block dropped).

Planning needs no pixels: sizes and names follow from the asset's hash, its width and height and the
settings, so a render knows every output path before anything is encoded. The bytes come from an
`ImageProvider` the pipeline hands in (`services/renditions.py` caches them in the blob store);
`produce_images` is the provider used when none is given (in memory, one process).
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


from markupsafe import Markup, escape

ENGINE = "bgpub-images-2"  # part of every job key: bump when the same job would give other bytes
DEFAULT_WIDTHS = (480, 960, 1600, 2400)
QUALITY = {"jpeg": 78, "webp": 72, "avif": 50, "png": 0}
RASTER = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/avif": "avif",  # a phone's AVIF carries EXIF (GPS) like its JPEG: cleaned the same way
}  # a GIF keeps its animation: only its metadata blocks are dropped (render/gifs.py)
GIF = "image/gif"
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif", "ico": "ico"}
MIMES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
MAX_WIDTHS = 8
DRAWN_BATCH = 100  # drawn images (share cards) per encoding task: ~0.5 s of work, few round trips
DEFAULT_SIZES = "(min-width: 72rem) 72rem, 100vw"


def avif_supported() -> bool:
    """True when the installed Pillow can write AVIF (Pillow 11.3+ built with libavif)."""
    from PIL import features

    try:
        return bool(features.check("avif"))
    except (ValueError, KeyError):
        return False


@dataclass(frozen=True)
class ImageJob:
    """One image output: what to make (`kind`) from which source blob, at which size, format and
    quality; `params` holds the kind's own plain data (focus crop, card text, icon sizes).
    `key` names the result in every cache (content hash, width, format, quality, engine)."""

    kind: str
    source: str
    format: str
    width: int
    height: int
    quality: int = 0
    params: tuple[tuple[str, Any], ...] = ()
    # Local files the encoder reads (a theme's card font), as (content sha256, path). Only the hash
    # is part of `key`, through `params`: where a checkout lives must never change an output's name.
    files: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @functools.cached_property  # asked for by the plan, the cache and the incremental renderer
    def key(self) -> str:
        text = repr(
            (
                ENGINE,
                self.kind,
                self.source,
                self.format,
                self.width,
                self.height,
                self.quality,
                self.params,
            )
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @functools.cached_property
    def output_key(self) -> str:
        """The dependency key of the outputs it makes, kept with the job: a preview's save keys
        100,000 share cards again, and the concatenation was a third of that."""
        return "img:" + self.key


class ImageProvider(Protocol):
    """Bytes of image jobs by job key; `source(hash)` gives a source blob's bytes.

    `groups` hands them over a group at a time, as each is found or made, so a render writes them
    away (its pack, an output folder) while the next ones are encoded, and never holds them all
    (a 100,000-page site's share cards are 1.3 GB); a caller that stops early closes it (a pool of
    workers ends with it). `__call__` is all of them at once."""

    def __call__(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> dict[str, bytes]: ...

    def groups(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> Generator[dict[str, bytes], None, None]: ...


def parse_widths(raw: object, where: str) -> tuple[int, ...]:
    """Rendition widths as a theme (`[images] widths`) or a site (`image_widths`) declares them:
    1 to 8 widths of 16 to 8192 pixels, sorted and without repeats."""
    from bgpub.errors import RenderError

    if (
        not isinstance(raw, list)
        or not raw
        or len(raw) > MAX_WIDTHS
        or not all(isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in raw)
    ):
        raise RenderError(
            f"image widths must list 1 to {MAX_WIDTHS} widths of 16 to 8192 pixels", where=where
        )
    return tuple(sorted(set(raw)))


@dataclass(frozen=True)
class ImageSettings:
    """Rendition widths and formats for a site: the site's `image_widths` setting, else the theme's
    `[images] widths`, else the defaults (never upscaled: see `target_widths`)."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS
    modern: tuple[str, ...] = ("avif", "webp")

    @classmethod
    def from_settings(
        cls,
        settings: Mapping[str, Any],
        where: str,
        avif: bool | None = None,
        theme_widths: tuple[int, ...] | None = None,
    ) -> ImageSettings:
        raw = settings.get("image_widths")
        widths = theme_widths or DEFAULT_WIDTHS
        if raw is not None:
            widths = parse_widths(raw, f"{where}, settings, image_widths")
        use_avif = avif_supported() if avif is None else avif
        return cls(widths, ("avif", "webp") if use_avif else ("webp",))


@dataclass(frozen=True)
class Candidate:
    """One file of a responsive image: its URL, pixel width and height and the job that makes it."""

    url: str
    width: int
    height: int
    job: ImageJob


@dataclass(frozen=True)
class ImageSet:
    """Every rendition of one image: per format (modern ones first, the original's format last)."""

    formats: tuple[tuple[str, tuple[Candidate, ...]], ...]
    width: int
    height: int
    paths: dict[str, ImageJob] = field(default_factory=dict)

    @property
    def fallback(self) -> tuple[Candidate, ...]:
        return self.formats[-1][1]


def focal_point(asset: Any) -> tuple[float, float]:
    """An asset's focal point as (x, y) in 0..1; the middle when unset or not a number in range (a
    hand-edited snapshot must not break a page or its CSS)."""

    def unit(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            return 0.5
        return float(value)

    return unit(getattr(asset, "focus_x", None)), unit(getattr(asset, "focus_y", None))


def target_widths(width: int, widths: Iterable[int]) -> list[int]:
    """The configured widths up to the image's own, never upscaling; a smaller image adds its own width."""
    wanted = sorted(set(widths))
    found = [w for w in wanted if w <= width]
    if width < wanted[-1] and width not in found:
        found.append(width)
    return found


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].split(".", 1)[0]


def plan_image(
    asset: Any, original_path: str, settings: ImageSettings, url: Callable[[str], str]
) -> ImageSet | None:
    """The renditions of a raster image asset, or None when it gets none (SVG, unknown size); a GIF
    gets one: itself at its own URL, animated, without metadata."""
    if not asset.width or not asset.height:
        return None
    if asset.mime == GIF:
        job = ImageJob("gif", asset.hash, "gif", asset.width, asset.height)
        only = Candidate(url("/" + original_path), asset.width, asset.height, job)
        return ImageSet((("gif", (only,)),), asset.width, asset.height, {original_path: job})
    original = RASTER.get(asset.mime)
    if original is None:
        return None
    stem = _stem(original_path)
    formats: list[tuple[str, tuple[Candidate, ...]]] = []
    paths: dict[str, ImageJob] = {}
    for fmt in [f for f in settings.modern if f != original] + [original]:
        candidates = []
        for w in target_widths(asset.width, settings.widths):
            h = max(1, round(asset.height * w / asset.width))
            job = ImageJob("rendition", asset.hash, fmt, w, h, QUALITY[fmt])
            path = f"assets/{stem}-{w}.{job.key[:12]}.{EXTENSIONS[fmt]}"
            paths[path] = job
            candidates.append(Candidate(url("/" + path), w, h, job))
        formats.append((fmt, tuple(candidates)))
    largest = formats[-1][1][-1]
    paths[original_path] = largest.job  # the asset's own URL serves the cleaned largest fallback
    return ImageSet(tuple(formats), largest.width, largest.height, paths)


def srcset(candidates: Iterable[Candidate]) -> str:
    return ", ".join(f"{c.url} {c.width}w" for c in candidates)


def picture_html(
    ref: Any,
    alt: str | None = None,
    *,
    cls: str = "",
    sizes: str = DEFAULT_SIZES,
    priority: bool = False,
    focus: bool = False,
    attrs: Mapping[str, Any] | None = None,
    width: int | None = None,
    height: int | None = None,
) -> Markup:
    """`<picture>` with a `<source>` per modern format and an `<img>` with the fallback srcset.

    `width`/`height` are always set when known (no layout shift); `priority` marks the page's lead
    image (eager, `fetchpriority="high"`), everything else loads lazily; `focus` sets
    `object-position` at the image's focal point for components that crop with `object-fit`.
    """
    text = ref.alt if alt is None else alt
    extra = [f' class="{escape(cls)}"'] if cls else []
    if not (width and height):  # a fixed box (an avatar) may be given; else the image's own size
        width, height = ref.width, ref.height
    if width and height:
        extra.append(f' width="{int(width)}" height="{int(height)}"')
    if priority:
        extra.append(' fetchpriority="high" decoding="async"')
    else:
        extra.append(' loading="lazy" decoding="async"')
    if focus and (ref.focus_x, ref.focus_y) != (0.5, 0.5):
        extra.append(f' style="object-position: {ref.focus_x * 100:g}% {ref.focus_y * 100:g}%"')
    for name, value in (attrs or {}).items():
        extra.append(f' {escape(name)}="{escape(value)}"')
    images: ImageSet | None = ref.images
    if images is None or images.formats[0][0] == "gif":  # SVG; a GIF is only itself
        return Markup(f'<img src="{escape(ref.url)}" alt="{escape(text)}"{"".join(extra)}>')
    sources = "".join(
        f'<source type="{MIMES[fmt]}" srcset="{escape(srcset(c))}" sizes="{escape(sizes)}">'
        for fmt, c in images.formats[:-1]
    )
    fallback = images.fallback
    src = next((c for c in fallback if c.width >= 960), fallback[-1])
    return Markup(
        f'<picture>{sources}<img src="{escape(src.url)}" srcset="{escape(srcset(fallback))}" '
        f'sizes="{escape(sizes)}" alt="{escape(text)}"{"".join(extra)}></picture>'
    )


# --- encoding (pure: bytes in, bytes out) -------------------------------------------------------


PLACEHOLDER = (204, 204, 204)


def load_image(data: bytes, largest: int | None = None) -> PILImage:
    """A decoded image turned upright (EXIF orientation), in sRGB, as RGB or RGBA, metadata dropped.

    `largest` (the widest output wanted) lets a JPEG decode at a reduced scale when that is enough.
    Bytes that do not decode (uploads and imports refuse them; only a hand-made snapshot has them)
    give a flat grey placeholder: never the bytes themselves, which might carry metadata.
    """
    from PIL import Image

    try:
        image = _decoded(data, largest)
        image.load()
        return image
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return Image.new("RGB", (16, 16), PLACEHOLDER)


def _decoded(data: bytes, largest: int | None) -> PILImage:
    from PIL import Image, ImageCms, ImageOps

    image: PILImage = Image.open(io.BytesIO(data))
    if largest and image.format == "JPEG":
        image.draft("RGB", (largest, largest))  # both sides: the orientation may swap them
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "RGBA", "CMYK"):
                image = image.convert("RGBA" if alpha else "RGB")
            image = ImageCms.profileToProfile(  # type: ignore[assignment]  # Pillow: None only with inPlace=True
                image,
                source,
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        except (OSError, ValueError, ImageCms.PyCMSError):
            pass  # a broken profile: the pixels as they are
    image = image.convert("RGBA" if alpha else "RGB")
    clean = Image.new(image.mode, image.size)  # a fresh image carries no info, EXIF, XMP or ICC
    clean.paste(image)
    return clean


def encode(image: PILImage, fmt: str, quality: int) -> bytes:
    """The image's bytes in `fmt`, with nothing but pixels (no EXIF, XMP, ICC or text chunks)."""
    out = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=4)
    elif fmt == "avif":
        image.save(out, "AVIF", quality=quality, speed=8)
    elif fmt == "png":
        image.save(out, "PNG", optimize=False, compress_level=7)
    else:
        raise ValueError(f"unknown image format {fmt!r}")
    return out.getvalue()


def resized(image: PILImage, width: int, height: int) -> PILImage:
    from PIL import Image

    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def make_renditions(data: bytes, jobs: Sequence[ImageJob]) -> dict[str, bytes]:
    """Every rendition job of one source, decoding it once (largest first, each from the last size)."""
    result: dict[str, bytes] = {}
    image = load_image(data, max(j.width for j in jobs))
    scaled: dict[tuple[int, int], Any] = {}
    for job in sorted(jobs, key=lambda j: -j.width):
        size = (job.width, job.height)
        if size not in scaled:
            scaled[size] = resized(image, *size)
        result[job.key] = encode(scaled[size], job.format, job.quality)
    return result


def produce_group(jobs: Sequence[ImageJob], source: bytes | None) -> dict[str, bytes]:
    """The bytes of jobs that share one source (or none): renditions, social cards and icons."""
    from bgpub.render.gifs import strip_gif
    from bgpub.render.icons import make_icon
    from bgpub.render.social_cards import make_card

    renditions = [j for j in jobs if j.kind == "rendition"]
    result = make_renditions(source, renditions) if renditions and source is not None else {}
    for job in jobs:
        if job.kind == "card":
            result[job.key] = make_card(job, source)
        elif job.kind == "icon":
            result[job.key] = make_icon(job, source)
        elif job.kind == "gif" and source is not None:
            result[job.key] = strip_gif(source)
    return result


def group_jobs(jobs: Iterable[ImageJob]) -> dict[str, list[ImageJob]]:
    """Unique jobs by source blob ("" for drawn ones): each source is decoded once."""
    groups: dict[str, list[ImageJob]] = {}
    seen: set[str] = set()
    for job in jobs:
        if job.key not in seen:
            seen.add(job.key)
            groups.setdefault(job.source, []).append(job)
    return groups


def job_batches(jobs: Iterable[ImageJob]) -> list[tuple[str, list[ImageJob]]]:
    """Units of work for encoding workers: every job of one source together (decoded once), and
    drawn jobs (share cards: a 10,000-page site has 10,000) in batches, so they spread over the
    workers instead of making one long task."""
    batches: list[tuple[str, list[ImageJob]]] = []
    for source, group in group_jobs(jobs).items():
        if source:
            batches.append((source, group))
        else:
            batches.extend(
                (source, group[i : i + DRAWN_BATCH]) for i in range(0, len(group), DRAWN_BATCH)
            )
    return batches


class MemoryImages:
    """The provider used when the pipeline hands in none: encodes in this process and remembers
    results by job key for the Renderer's life. `encoded` counts the jobs it produced."""

    def __init__(self) -> None:
        self.memory: dict[str, bytes] = {}
        self.encoded = 0

    def __call__(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> dict[str, bytes]:
        for _ in self.groups(jobs, source):
            pass
        return {j.key: self.memory[j.key] for j in jobs}

    def groups(
        self, jobs: Sequence[ImageJob], source: Callable[[str], bytes]
    ) -> Generator[dict[str, bytes], None, None]:
        known = {j.key: self.memory[j.key] for j in jobs if j.key in self.memory}
        if known:
            yield known
        missing = [j for j in jobs if j.key not in known]
        for src, group in group_jobs(missing).items():
            made = produce_group(group, source(src) if src else None)
            self.encoded += len(made)
            self.memory.update(made)
            yield made
