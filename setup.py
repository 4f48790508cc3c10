"""Bundles the top-level components/, themes/ and sites/ into the wheel as bgpub/content/.

In a checkout (editable install) bgpub reads them from the repository; an installed wheel reads the
bundled copy (see bgpub.render.paths.content_root).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CONTENT = ("components", "themes", "sites")


class BuildWithContent(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "bgpub" / "content"
        for name in CONTENT:
            if (root / name).is_dir():
                shutil.copytree(
                    root / name,
                    target / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )


setup(cmdclass={"build_py": BuildWithContent})
