"""Preview benchmark: from a save (a service call) to the reloaded page, on an N-page project.

A project of N corpus pages (~8 component instances each) is imported, `PreviewServer` serves it, an
SSE client (what the browser's reload script does) listens; each sample saves one prop of one page
through `set_props`, waits for the `reload` event naming that page, then fetches the page and checks
it shows the new text; `cpu_*` is this process's CPU time over the same span, every thread counted
(what a save costs on a machine other work loads). With `--browser`, the same is measured in headless
Chromium instead: from the save to the tab showing the new text after reloading itself. Prints ONE
JSON line.

    python bench/preview_bench.py --pages 1000 --saves 30 [--database-url postgresql://...] [--browser]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "corpus.py"
)  # ../shared beside the repository
TARGET_MS = 300
PHASES: dict[str, list[float]] = {"save": [], "event": []}  # where the time goes (SSE mode)
# CPU seconds of this process (the preview's threads and the client) from a save to its fetched
# page: what a save costs whatever else loads the machine (wall times are not, on a shared one)
CPU: list[float] = []


def _corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _blocks(d: dict) -> list[dict]:
    p, h, items, link = d["paragraphs"], d["headings"], d["items"], d["link"]
    sections = [
        p[0] + "\n\n## " + h[0] + "\n\n" + p[1] + "\n\n- " + "\n- ".join(items) + "\n",
        "## "
        + h[1]
        + "\n\n"
        + p[2]
        + "\n\n"
        + p[3]
        + " See [%s](%s).\n" % (link["text"], link["url"]),
        "## " + h[2] + "\n\n" + p[4] + "\n",
    ]
    return (
        [
            {"component": "navbar", "props": {"brand": "Bench"}},
            {"component": "hero", "props": {"heading": d["title"], "text": d["summary"]}},
        ]
        + [{"component": "rich-text", "props": {"body": s}} for s in sections]
        + [
            {
                "component": "cta",
                "props": {
                    "heading": "Ready?",
                    "button_label": "Contact us",
                    "button_url": "/contact/",
                },
            },
            {"component": "footer", "props": {"note": "Bench site"}},
        ]
    )


def seed(actor, pages: int) -> str:
    """Imports an N-page project through the services (one transaction) and returns its name."""
    from bgpub.services.importing import import_snapshot
    from bgpub.snapshot import ProjectSnapshot

    corpus = _corpus()
    data = []
    for i in range(pages):
        d = corpus.page_data(i)
        data.append(
            {
                "slug": d["slug"],
                "title": d["title"],
                "seo_description": d["summary"],
                "show_in_nav": i < 5,
                "is_home": i == 0,
                "blocks": _blocks(d),
            }
        )
    snapshot = ProjectSnapshot.from_dict(
        {"name": "bench", "title": "Bench", "theme": "aurora", "pages": data}
    )
    import_snapshot(actor, snapshot, {}, name="bench")
    return "bench"


class EventStream:
    """The reload script's side of the protocol: `reload` events parsed as they arrive."""

    def __init__(self, port: int, since: int):
        self.events: list[dict] = []
        self.cond = threading.Condition()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.sendall(
            f"GET /__bgpub__/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self.sock.recv(65536):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    for line in block.split(b"\n"):
                        if line.startswith(b"data: "):
                            with self.cond:
                                self.events.append(json.loads(line[6:]))
                                self.cond.notify_all()
        except OSError:
            pass

    def wait_for(self, key: str, after: int, timeout: float = 30.0) -> dict:
        def hit():
            return next(
                (e for e in self.events[after:] if e["changed"] is None or key in e["changed"]),
                None,
            )

        with self.cond:
            self.cond.wait_for(lambda: hit() is not None, timeout=timeout)
            found = hit()
        if found is None:
            raise SystemExit(f"no reload event for {key} within {timeout}s")
        return found


def measure_sse(server, actor, project: str, slugs: list[str], saves: int) -> list[float]:
    stream = EventStream(server.port, server.site.state.generation)
    time.sleep(0.2)
    samples = []
    for i in range(saves):
        slug = slugs[(i * 37) % len(slugs)]
        key = "index.html" if slug == slugs[0] else f"{slug}/index.html"
        text = f"Saved headline {i}"
        seen = len(stream.events)
        cpu = time.process_time()
        started = time.perf_counter()
        set_props(actor, project, slug, 1, {"heading": text})
        saved = time.perf_counter()
        stream.wait_for(key, seen)
        PHASES["save"].append((saved - started) * 1000)
        PHASES["event"].append((time.perf_counter() - saved) * 1000)
        url = server.url + ("" if key == "index.html" else f"{slug}/")
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        CPU.append((time.process_time() - cpu) * 1000)
        if text.encode() not in body:
            raise SystemExit(f"{url} does not show {text!r} after its reload event")
        samples.append(elapsed)
    stream.sock.close()
    return samples


def measure_browser(server, actor, project: str, slugs: list[str], saves: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    samples = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("BGPUB_CHROMIUM", "/usr/bin/chromium"), args=args
        )
        page = browser.new_page()
        slug = slugs[1]
        page.goto(server.url + f"{slug}/", wait_until="load")
        for i in range(saves):
            text = f"Browser headline {i}"
            page.wait_for_function(
                "() => window.bgpubPreview && window.bgpubPreview.connected", timeout=30_000
            )
            time.sleep(0.1)  # the event stream is open and idle, as it is while someone edits
            started = time.time() * 1000
            set_props(actor, project, slug, 1, {"heading": text})
            page.wait_for_function(
                f"() => document.querySelector('h1') && "
                f"document.querySelector('h1').innerText.includes({json.dumps(text)})",
                timeout=30_000,
            )
            # the reloaded page's own clock: when its load event ended (Playwright's polling excluded)
            loaded = page.evaluate(
                "() => performance.timeOrigin + "
                "performance.getEntriesByType('navigation')[0].loadEventEnd"
            )
            samples.append(loaded - started)
        browser.close()
    return samples


def set_props(*args, **kwargs):
    from bgpub.services.blocks import set_props as service

    return service(*args, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--browser", action="store_true", help="measure in headless Chromium")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bgpub-preview-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    url = args.database_url or f"sqlite:///{home / 'bgpub.db'}"
    from bgpub.preview.session import PreviewServer
    from bgpub.services.workspace import open_workspace

    workspace = open_workspace(url, workspace_path=home)
    actor = workspace.actor
    started = time.perf_counter()
    project = seed(actor, args.pages)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    server = PreviewServer(workspace, project, watch=False).start()
    first_render = time.perf_counter() - started
    slugs = [f"page-{i:05d}" for i in range(args.pages)]
    try:
        measure = measure_browser if args.browser else measure_sse
        samples = measure(server, actor, project, slugs, args.saves)
    finally:
        server.stop()
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    print(
        json.dumps(
            {
                "bench": "preview",
                "mode": "browser" if args.browser else "sse+fetch",
                "backend": "postgres" if url.startswith("postgres") else "sqlite",
                "pages": args.pages,
                "saves": len(samples),
                "median_ms": round(statistics.median(samples), 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(samples[-1], 1),
                "target_ms": TARGET_MS,
                **(
                    {
                        "cpu_median_ms": round(statistics.median(CPU), 1),
                        "cpu_p95_ms": round(sorted(CPU)[int(round(0.95 * (len(CPU) - 1)))], 1),
                    }
                    if CPU
                    else {}
                ),
                **{
                    f"{name}_median_ms": round(statistics.median(values), 1)
                    for name, values in PHASES.items()
                    if values
                },
                "seed_s": round(seeded, 2),
                "first_render_s": round(first_render, 2),
            }
        )
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
