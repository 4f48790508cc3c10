"""axe-core in Chromium over every page of every starter in every theme: no violation of any rule.

One Chromium (the module's), two tabs taking turns; axe is added to every document by an init script.
A control page with known violations shows the audit runs. Pages load nothing from outside their site.
"""

from __future__ import annotations

import re

from output_support import axe_source, in_turn

AUDIT = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
    v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))"""
CONTROL = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>control</title></head>'
    '<body><main><p aria-label="Rated 5 out of 5"><span aria-hidden="true">★★★★★</span></p>'
    '<img src="data:,"></main></body></html>'.encode()
)


def test_no_page_of_any_starter_in_any_theme_has_an_axe_violation(browser, builds, site_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(axe_source())
    outside: list[str] = []

    def elsewhere(route) -> None:  # every request that is not to the builds' server
        if route.request.url == "http://control.test/":
            route.fulfill(status=200, body=CONTROL, content_type="text/html")
            return
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(rf"^(?!http://[a-z0-9-]+\.localhost:{site_server.port}/)"), elsewhere)
    tabs = [context.new_page(), context.new_page()]
    missing: list[str] = []
    for tab in tabs:
        tab.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    try:
        tabs[0].goto("http://control.test/", wait_until="load")
        control = {v["id"] for v in tabs[0].evaluate(AUDIT)}
        assert {"aria-prohibited-attr", "image-alt"} <= control, control
        problems = []
        audited = 0
        targets = [(build, url) for build in builds for url in build.pages()]
        for (build, url), page in in_turn(
            tabs, targets, lambda target: site_server.origin(target[0]) + target[1]
        ):
            audited += 1
            for violation in page.evaluate(AUDIT):
                problems.append(
                    f"{build.name}{url}: {violation['id']} ({violation['impact']}) {violation['nodes']}"
                )
    finally:
        context.close()
    assert audited >= len(builds) * 5
    assert not outside, f"requests left the site: {outside[:5]}"
    assert not missing, f"missing files: {missing[:5]}"
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems[:40])
