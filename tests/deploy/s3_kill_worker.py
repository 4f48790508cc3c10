"""A deploying process to kill: reads one JSON command a line, forks a child per command that deploys
a version to the bucket (SIGKILLed by its crashpoint when asked), and answers how the child ended.

Started once by test_deploy_s3_kill.py; forking from this single-threaded process (boto3 imported,
the target built, no connection open yet) makes each of the many trials cheap.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bgpub.publish.manifest import build_manifest, digest
from bgpub.publish.targets import DeployRequest, make_target, s3_setup


def versions() -> dict[str, dict[str, bytes]]:
    """Three small sites whose pages link content-hashed assets that change between versions."""
    sites = {}
    for name, pages, colour in (("v1", 4, "red"), ("v2", 5, "blue"), ("v3", 3, "green")):
        css = f"body{{color:{colour}}}".encode()
        logo = f"<svg>{colour}</svg>".encode()
        style = f"assets/style.{digest(css)[:12]}.css"
        image = f"assets/logo.{digest(logo)[:12]}.svg"
        files = {
            style: css,
            image: logo,
            "robots.txt": b"User-agent: *\n",
            "sitemap.xml": f"<urlset>{name}</urlset>".encode(),
        }
        for i in range(pages):
            path = "index.html" if i == 0 else f"page-{i}/index.html"
            files[path] = (
                f'<link rel="stylesheet" href="/{style}"><img src="/{image}">'
                f"<h1>{name} page {i}</h1>"
            ).encode()
        sites[name] = files
    return sites


def main() -> None:
    config = json.loads(sys.argv[1])
    state = Path(sys.argv[2])
    sites = versions()
    data = {digest(b): b for files in sites.values() for b in files.values()}
    manifests = {name: build_manifest(files) for name, files in sites.items()}
    target = make_target("s3", config, state)
    target.client()  # boto3 loaded and the client built before forking; no connection opened yet

    def fetch(hashes):
        return {h: data[h] for h in hashes}

    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            # the parent built the client but never opened a connection (its pool is empty), so the
            # child may use it as its own rather than build one (~50 ms each, 100 children)
            for key, client in list(s3_setup.CLIENTS.items()):
                s3_setup.CLIENTS[key[:-1] + (os.getpid(),)] = client
            if command.get("crash_at"):
                os.environ["BGPUB_CRASH_AT"] = command["crash_at"]
            previous = manifests.get(command.get("previous") or "")
            outcome = target.deploy(
                DeployRequest(1, manifests[command["version"]], previous=previous), fetch
            )
            os._exit(0 if outcome.ok else 3)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status)
        print(
            json.dumps({"killed": killed, "code": None if killed else os.WEXITSTATUS(status)}),
            flush=True,
        )


if __name__ == "__main__":
    main()
