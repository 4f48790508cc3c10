"""TUI scale benchmark: launch-to-first-paint, End to the last page, and keypress-to-updated-list at N
pages (default 10,000).

The list reads its rows a window at a time, so each figure runs until the rows it needs have
arrived and are painted: the first paint until the first window shows, End until the last page's
row shows its title, a key until the filter's first window shows.

Runs the real app headless (Textual's run_test) on an in-memory session that serves N pages, so it
measures the interface itself; `--database` serves them from a real database through the services
instead (a project created with N pages on first use). Prints one JSON line.

    python bench/tui_bench.py [--pages 10000] [--database sqlite:///tmp/bench.db]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()


class MemorySession:
    """Just enough of EditorSession for opening a project and filtering its pages."""

    actor_label = "bench@localhost"

    def __init__(self, pages: int) -> None:
        from bgpub.domain.pages import PageRow

        self._pages = [
            PageRow(slug=f"page-{i:05d}", title=f"Page {i} about topic {i % 97}", is_home=i == 0)
            for i in range(pages)
        ]

    def organizations(self):
        from bgpub.domain.organizations import OrganizationRow

        return [OrganizationRow("bench", "Bench", "OWNER")]

    def projects(self):
        from bgpub.domain.projects import ProjectRow

        return [ProjectRow("bench", "big", "Big", "DRAFT", len(self._pages))]

    def starters(self):
        return []

    def page_window(self, project, text, start, limit, keep, total=None, shown=None):
        from bgpub.domain.pages import window_of

        return window_of(self._pages, text=text, start=start, limit=limit, keep=keep)

    def reading_pages(self):
        from contextlib import nullcontext

        return nullcontext()

    def site_settings(self, project):
        from bgpub.domain.projects import SiteSettings

        return SiteSettings(title="Big", theme="aurora")

    def themes(self):
        return []

    def preview_url(self, project):
        return None

    def close(self):
        pass


def cpu_seconds() -> float:
    """CPU time of the whole process (every thread): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(open_session, project: str, keys: str, size: tuple[int, int]) -> dict:
    """Times from opening the session (database connection included) to the painted page list."""
    from bgpub.tui.app import BgpubApp
    from bgpub.tui.widgets.page_list import PageList

    start = time.perf_counter()
    cpu_start = cpu_seconds()
    app = BgpubApp(open_session(), project=project)
    async with app.run_test(size=size) as pilot:
        # first paint of the page list with its rows
        while True:
            await pilot.pause(0.005)
            lists = app.screen.query(PageList)
            if lists and lists.first().rows:
                break
        await pilot.pause()
        first_paint = time.perf_counter() - start
        page_list = app.screen.query_one(PageList)
        total = page_list.total
        painted: list[float] = []
        render_line = page_list.render_line

        def timed_render_line(y: int):
            painted.append(time.perf_counter())
            return render_line(y)

        page_list.render_line = timed_render_line  # type: ignore[method-assign]
        # End: the cursor on the last page, that row painted (the list scrolled to its end)
        page_list.focus()
        await pilot.pause()
        painted.clear()
        t = time.perf_counter()
        await pilot.press("end")
        while page_list.current is None:  # the last window is on its way
            await pilot.pause(0.001)
        await pilot.pause()
        to_end = (max(painted) if painted else time.perf_counter()) - t
        open_cpu = cpu_seconds() - cpu_start
        at_end = (
            page_list.cursor == total - 1
            and page_list.scroll_offset.y > 0
            and page_list.current_number == total
        )
        await pilot.press("home")
        await pilot.pause()
        await pilot.press("slash")
        per_key = []
        keys_cpu = cpu_seconds()
        for key in keys:
            painted.clear()
            t = time.perf_counter()
            await pilot.press("space" if key == " " else key)
            while not page_list.settled:  # the filter's first window is on its way
                await pilot.pause(0.001)
            await pilot.pause()  # the list repaints before the next key
            per_key.append((max(painted) if painted else time.perf_counter()) - t)
        keys_cpu = cpu_seconds() - keys_cpu
        shown = page_list.shown
    return {
        "launch_to_first_paint_s": round(first_paint, 3),
        "end_key_to_last_row_ms": round(to_end * 1000, 1),
        "open_and_scroll_to_end_s": round(first_paint + to_end, 3),
        "open_and_scroll_to_end_cpu_s": round(open_cpu, 3),
        "reached_the_end": at_end,
        "keypress_to_list_ms_median": round(statistics.median(per_key) * 1000, 1),
        "keypress_to_list_ms_max": round(max(per_key) * 1000, 1),
        "keypresses_cpu_ms_per_key": round(keys_cpu / len(keys) * 1000, 1),
        "pages": total,
        "shown_after_filter": shown,
    }


def prepare_database(url: str, pages: int, workdir: Path) -> str:
    """Makes sure project `big` on `url` has `pages` pages (imported once through the services)."""
    from bgpub.domain.blocks import Block
    from bgpub.services.importing import import_snapshot
    from bgpub.services.organizations import change_tier
    from bgpub.services.workspace import open_workspace
    from bgpub.snapshot import PageSnapshot, ProjectSnapshot
    from bgpub.tui.service_session import ServiceSession

    workspace = open_workspace(url, workspace_path=workdir)
    session = ServiceSession(workspace)
    org = session.organizations()[0].slug
    if "big" not in {p.name for p in session.projects()}:
        change_tier(workspace.actor, org, "PRO")
        snapshot = ProjectSnapshot(
            name="big",
            title="Big",
            pages=tuple(
                PageSnapshot(
                    slug=f"page-{i:05d}",
                    title=f"Page {i} about topic {i % 97}",
                    is_home=i == 0,
                    blocks=(Block("hero", {"heading": f"Page {i}"}),),
                )
                for i in range(pages)
            ),
        )
        import_snapshot(workspace.actor, snapshot, {}, name="big")
    from bgpub.db.connection import database

    database.close()
    return f"{org}/big"


def database_session(url: str, workdir: Path):
    from bgpub.services.workspace import open_workspace
    from bgpub.tui.service_session import ServiceSession

    return ServiceSession(open_workspace(url, workspace_path=workdir))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--database", help="serve pages from this database through the services")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "bgpub-tui-bench"))
    parser.add_argument(
        "--keys", default="topic 42", help="typed into the filter, one key at a time"
    )
    args = parser.parse_args()
    import textual  # noqa: F401 - counted in the launch time like a real start

    import_s = time.perf_counter() - T0
    if args.database:
        workdir = Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        project = prepare_database(args.database, args.pages, workdir)
        source = "database"

        def open_session():
            return database_session(args.database, workdir)
    else:
        project, source = "bench/big", "memory"

        def open_session():
            return MemorySession(args.pages)

    result = asyncio.run(measure(open_session, project, args.keys, (100, 30)))
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else None
    print(
        json.dumps(
            {
                "bench": "tui",
                "source": source,
                "import_s": round(import_s, 3),
                **result,
                "load_average_1m": load,
            }
        )
    )


if __name__ == "__main__":
    main()
