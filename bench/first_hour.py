"""The first hour of a brand-new user, timed: the editor driven by Textual's Pilot (run_test) from an
empty workspace through the quickstart: create a project from a starter, edit the hero's title, add a
block, edit the shared header, start the preview, publish to the default folder target.

Prints ONE JSON line: per step the keys pressed (as a user would type them; a choice made in a
drop-down is written as `<choose X>`) and the seconds it took on this machine, with the load average.

    python bench/first_hour.py [--size 120x36] [--starter landing]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEP = 0.01  # seconds between checks while waiting for the editor
PATIENCE = 120.0  # seconds one step may take before the bench gives up (a busy machine is slow)


class Steps:
    """Each step's keys and seconds, in order."""

    def __init__(self) -> None:
        self.done: list[dict[str, Any]] = []
        self.keys: list[str] = []
        self.started = 0.0

    def begin(self) -> None:
        self.keys, self.started = [], time.perf_counter()

    def end(self, name: str) -> None:
        self.done.append(
            {
                "step": name,
                "keys": self.keys,
                "seconds": round(time.perf_counter() - self.started, 3),
            }
        )


async def until(pilot: Any, check: Callable[[], object], what: str) -> None:
    for _ in range(int(PATIENCE / STEP)):
        try:
            if check():
                return
        except Exception:  # not mounted yet
            pass
        await pilot.pause(STEP)
    raise SystemExit(f"first_hour: timed out waiting for {what}")


async def press(pilot: Any, steps: Steps, *keys: str) -> None:
    steps.keys.extend(keys)
    await pilot.press(*keys)


async def type_into(pilot: Any, app: Any, steps: Steps, selector: str, text: str) -> None:
    """Focuses a field (as Tab would), clears it and types `text` key by key."""
    widget = app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await press(pilot, steps, "end", "ctrl+u")
    await press(pilot, steps, *["space" if c == " " else c for c in text])


async def first_hour(app: Any, starter: str, size: tuple[int, int]) -> list[dict[str, Any]]:
    from bgpub.tui.screens.page_editor import PageEditorScreen
    from bgpub.tui.screens.project import ProjectScreen
    from bgpub.tui.screens.publish import PublishModal
    from bgpub.tui.screens.sections import SectionEditorScreen, SectionsScreen
    from bgpub.tui.screens.workspace import WorkspaceScreen
    from bgpub.tui.widgets.component_palette import ComponentPaletteModal

    steps = Steps()
    async with app.run_test(size=size) as pilot:
        steps.begin()
        await until(
            pilot,
            lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.organizations,
            "the workspace screen",
        )
        steps.end("open the editor on an empty workspace")

        steps.begin()
        await press(pilot, steps, "n")
        await until(pilot, lambda: app.screen.query_one("#form-name"), "the new-project form")
        app.screen.query_one("#form-starter").value = starter
        steps.keys.append(f"<choose {starter}>")
        await type_into(pilot, app, steps, "#form-name", "acme")
        await type_into(pilot, app, steps, "#form-title", "Acme")
        await press(pilot, steps, "enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.rows,
            "the project's pages",
        )
        project = app.screen
        steps.end(f"create a project from the {starter} starter")

        steps.begin()
        project.pages.focus()
        await press(pilot, steps, "enter")  # the home page is the first one
        await until(
            pilot,
            lambda: isinstance(app.screen, PageEditorScreen) and app.screen.form is not None,
            "the home page's editor",
        )
        editor = app.screen
        await press(pilot, steps, "f2")
        await type_into(pilot, app, steps, "#prop-heading", "Acme builds calm software")
        await press(pilot, steps, "ctrl+s")
        await until(pilot, lambda: not editor.dirty, "the hero saved")
        steps.end("edit the hero's title")

        steps.begin()
        editor.block_list.focus()
        await press(pilot, steps, "a")
        await until(
            pilot, lambda: isinstance(app.screen, ComponentPaletteModal), "the component palette"
        )
        await press(pilot, steps, "c", "t", "a", "enter")
        await until(
            pilot,
            lambda: (
                app.screen is editor
                and editor.form is not None
                and editor.blocks[editor.form_index].component == "cta"
            ),
            "the new call to action",
        )
        await type_into(pilot, app, steps, "#prop-heading", "Try Acme for a month")
        await press(pilot, steps, "ctrl+s")
        await until(pilot, lambda: not editor.dirty, "the page saved with its new block")
        await press(pilot, steps, "escape")
        await until(pilot, lambda: app.screen is project, "the project screen")
        steps.end("add a block (a call to action)")

        steps.begin()
        await press(pilot, steps, "H")
        await until(
            pilot,
            lambda: isinstance(app.screen, SectionsScreen) and app.screen.rows,
            "the sections",
        )
        sections = app.screen
        while sections.current() is not None and sections.current().name != "header":
            await press(pilot, steps, "down")
        await press(pilot, steps, "enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, SectionEditorScreen) and app.screen.form is not None,
            "the header's editor",
        )
        header = app.screen
        await press(pilot, steps, "f2")
        await type_into(pilot, app, steps, "#prop-brand", "Acme")
        await press(pilot, steps, "ctrl+s")
        await until(pilot, lambda: not header.dirty, "the header saved")
        await press(pilot, steps, "escape")
        await until(pilot, lambda: app.screen is sections, "the sections screen")
        await press(pilot, steps, "escape")
        await until(pilot, lambda: app.screen is project, "the project screen")
        steps.end("edit the shared header (every page's navbar)")

        steps.begin()
        await press(pilot, steps, "p")
        await until(pilot, lambda: project.preview, "the preview's URL")
        steps.end("start the preview")

        steps.begin()
        await press(pilot, steps, "P")
        await until(pilot, lambda: app.screen.query_one("#form-message"), "the publish form")
        await type_into(pilot, app, steps, "#form-message", "first")
        await until(
            pilot, lambda: getattr(app.screen, "findings", None) is not None, "the site checked"
        )
        if getattr(
            app.screen, "errors", None
        ):  # the starter's sample form address: publish knowingly
            app.screen.query_one("#ok").press()
            steps.keys.append("<Publish anyway>")
        else:
            await press(pilot, steps, "enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, PublishModal) and not app.screen.running,
            "the publish to finish",
        )
        if app.screen.outcome is None:
            raise SystemExit("first_hour: the publish failed")
        await press(pilot, steps, "escape")
        steps.end("publish to the default folder target")
    return steps.done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x36", help="terminal size, COLUMNSxROWS")
    parser.add_argument("--starter", default="landing")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="bgpub-first-hour-") as folder:
        home = Path(folder)
        os.environ["BGPUB_HOME"] = str(home)
        for var in ("BGPUB_DATABASE_URL", "DATABASE_URL", "BGPUB_USER_EMAIL"):
            os.environ.pop(var, None)
        from bgpub.preview.session import PreviewServer
        from bgpub.services.workspace import open_workspace
        from bgpub.tui.app import make_app

        started = time.perf_counter()
        workspace = open_workspace(f"sqlite:///{home / 'bgpub.db'}", workspace_path=home)
        app = make_app(workspace, preview=PreviewServer)
        done = asyncio.run(first_hour(app, args.starter, (size[0], size[1])))
        total = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "first_hour",
                "size": args.size,
                "starter": args.starter,
                "steps": done,
                "keys": sum(len(s["keys"]) for s in done),
                "seconds": round(total, 3),
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
