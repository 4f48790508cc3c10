"""One progress event for every long operation: a deploy target's bytes, the publish that relays
them with the target's name, and the CLI bars that show them all read and write `Step`s."""

from __future__ import annotations

import pytest
from tests.publish.sites import REPO, make_project

from bgpub.domain.progress import DEPLOY, Step, size_text
from bgpub.publish.manifest import digest
from bgpub.publish.targets import DeployRequest, make_target


def test_a_step_reads_as_its_stage_or_as_the_bytes_sent_to_its_target() -> None:
    assert Step("render", 3, 10).label == "render"
    assert Step(DEPLOY, 1, 2, 1_200_000, 3_400_000, target="cdn").label == (
        "deploy cdn: 1.2 MB of 3.4 MB"
    )
    assert (
        Step(DEPLOY, 1, 2, 10, 20).label == "deploy"
    )  # a target's own step, before the publish names it


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB"), (10**13, "10000.0 GB")],
)
def test_sizes_read_in_decimal_units(size: int, text: str) -> None:
    assert size_text(size) == text


def test_a_dir_target_reports_its_bytes_as_steps(tmp_path) -> None:
    files = {"index.html": b"<h1>home</h1>", "about/index.html": b"about" * 100, "a.css": b"x"}
    manifest = {path: [digest(data), len(data)] for path, data in files.items()}
    by_hash = {digest(data): data for data in files.values()}
    target = make_target("dir", {"path": str(tmp_path / "www")}, tmp_path / "state")
    seen: list[Step] = []
    outcome = target.deploy(
        DeployRequest(1, manifest),
        lambda hashes: {sha: by_hash[sha] for sha in hashes},
        seen.append,
    )
    assert outcome.ok, outcome
    assert seen and all(isinstance(step, Step) and step.stage == DEPLOY for step in seen)
    total = sum(map(len, files.values()))
    assert (seen[-1].done, seen[-1].total) == (len(files), len(files))
    assert seen[-1].bytes_done == seen[-1].bytes_total == total
    assert [s.bytes_done for s in seen] == sorted(s.bytes_done for s in seen)


@pytest.fixture
def demo(actor, monkeypatch):
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(REPO / "components"))
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(REPO / "themes"))
    return make_project(actor, "demo", pages=3)


def test_the_cli_bar_shows_a_publish_through_its_steps(actor, demo, workspace) -> None:
    """`bgpub publish` on a terminal: the bar's line ends on the deploy's bytes, all items done."""
    from bgpub.cli.publish import StageBar, progress_bar
    from bgpub.services.publishing import publish_project

    seen: list[Step] = []
    with progress_bar(True) as bar:
        assert isinstance(bar, StageBar)

        def watch(step: Step) -> None:
            seen.append(step)
            bar(step)

        result = publish_project(actor, "demo", progress=watch)
    assert result.ok, result.deployments
    assert [s.stage for s in seen[:3]] == ["snapshot", "render", "store"]
    last = seen[-1]
    assert last.stage == DEPLOY and last.target == "default"
    assert last.bytes_done == last.bytes_total == result.bytes
    task = bar.bar.tasks[0]
    assert (
        task.description
        == f"deploy default: {size_text(result.bytes)} of {size_text(result.bytes)}"
    )
    assert (task.completed, task.total) == (last.done, last.total) == (result.files, result.files)


def test_the_build_bar_names_each_stage(actor, demo, tmp_path) -> None:
    """`bgpub build --progress`: the build's steps under their readable names, ending on Done."""
    from bgpub.cli.build import _Bar
    from bgpub.services.building import build_project

    descriptions: list[str] = []
    with _Bar() as bar:

        def watch(step: Step) -> None:
            bar(step)
            descriptions.append(bar.progress.tasks[0].description)

        report = build_project(actor, "demo", tmp_path / "site", progress=watch)
    assert descriptions[0] == "Reading project" and descriptions[-1] == "Done"
    assert "Writing files" in descriptions and report.files > 0
    task = bar.progress.tasks[0]
    assert (task.completed, task.total) == (1, 1)
