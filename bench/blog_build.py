"""Blog render benchmark: a 10,000-post blog through the incremental renderer (pure, no database).

Renders the blog once from scratch (full build into a folder), then edits one post's body and title
(with an update time, as an edit after publishing records) and renders again in the same process.
Prints ONE JSON line: seconds of each, the number of outputs, and the paths the edit re-rendered
(count, and the list grouped by kind), so the one-post-edit claim can be read off the output.

    python bench/blog_build.py [--posts 10000] [--per-page 10]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bgpub.domain.blocks import Block
from bgpub.render import BuildInfo, Renderer, load_library, load_themes
from bgpub.render.paths import components_dirs, themes_dirs
from bgpub.snapshot import PageSnapshot, PostSnapshot, ProjectSnapshot

WORDS = ("road", "river", "climb", "coffee", "tent", "rain", "map", "bridge", "valley", "train")


def blog(posts: int, per_page: int) -> ProjectSnapshot:
    """`posts` posts over ~27 years, 12 categories, 40 tags (3 a post), ~300 words of Markdown each."""
    items = []
    for n in range(posts):
        body = "\n\n".join(" ".join(WORDS[(n + i + j) % 10] for j in range(30)) for i in range(10))
        items.append(
            PostSnapshot(
                slug=f"post-{n}",
                title=f"Post number {n}",
                excerpt=f"The excerpt of post {n}.",
                body=f"## Part one\n\n{body}\n\n[Home](/)",
                date=f"{2000 + n // 365:04d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                author=f"Author {n % 7}",
                category=f"Category {n % 12}",
                tags=tuple(
                    sorted({f"tag-{n % 40}", f"tag-{(n * 7) % 40}", f"tag-{(n * 13) % 40}"})
                ),
            )
        )
    home = PageSnapshot(
        slug="home",
        title="Home",
        is_home=True,
        blocks=(Block("rich-text", {"body": "Welcome."}), Block("blog-post-list", {"limit": 5})),
    )
    return ProjectSnapshot(
        name="bench-blog",
        title="Bench blog",
        settings={"base_url": "https://blog.example.com", "posts_per_page": per_page},
        pages=(home,),
        posts=tuple(items),
        categories=tuple(f"Category {n}" for n in range(12)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=10)
    args = parser.parse_args()
    snapshot = blog(args.posts, args.per_page)
    build = BuildInfo(now="2030-01-01T00:00:00Z")
    renderer = Renderer(
        load_library(components_dirs()), load_themes(themes_dirs()), lambda digest: b""
    )
    with tempfile.TemporaryDirectory(prefix="bgpub-blog-bench-") as out:
        started = time.perf_counter()
        full = renderer.render(snapshot, build, out_dir=Path(out))
        full_seconds = time.perf_counter() - started
        middle = args.posts // 2
        posts = list(snapshot.posts)
        posts[middle] = replace(
            posts[middle],
            title="Edited title",
            body=posts[middle].body + "\n\nOne more line.",
            updated_at="2029-06-01T00:00:00Z",
        )
        started = time.perf_counter()
        edit = renderer.render(replace(snapshot, posts=tuple(posts)), build, out_dir=Path(out))
        edit_seconds = time.perf_counter() - started
    rebuilt = sorted(edit.rendered)
    kinds = Counter(_kind(p) for p in rebuilt)
    print(
        json.dumps(
            {
                "posts": args.posts,
                "outputs": len(full.files),
                "full_build_seconds": round(full_seconds, 2),
                "full_build_processes": full.stats["processes"],
                "one_post_edit_seconds": round(edit_seconds, 3),
                "rebuilt_paths_count": len(rebuilt),
                "rebuilt_by_kind": dict(sorted(kinds.items())),
                "rebuilt_paths": rebuilt,
            }
        )
    )


def _kind(path: str) -> str:
    if path.endswith(("atom.xml", "rss.xml", "feed.json")):
        return "feed"
    for prefix in ("blog/category/", "blog/tag/", "blog/author/", "blog/archive/"):
        if path.startswith(prefix):
            return prefix.split("/")[1]
    if path == "blog/index.html" or path.startswith("blog/page/"):
        return "blog index"
    if path.startswith("blog/"):
        return "post"
    return path


if __name__ == "__main__":
    sys.exit(main())
