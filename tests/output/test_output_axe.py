"""axe-core in Chromium over every page of every starter in every theme: no violation of any rule.

One Chromium (the session's), one page; axe is added to every document by an init script. A control
page with known violations shows the audit runs. Pages load nothing from outside their site.
"""

from __future__ import annotations

from output_support import axe_source

AUDIT = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
    v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}))"""
CONTROL = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>control</title></head>'
    '<body><main><p aria-label="Rated 5 out of 5"><span aria-hidden="true">★★★★★</span></p>'
    '<img src="data:,"></main></body></html>'.encode()
)


def test_no_page_of_any_starter_in_any_theme_has_an_axe_violation(visit, builds):
    page, origins = visit
    page.context.add_init_script(axe_source())
    origins.extra["control.test/"] = CONTROL
    page.goto("http://control.test/", wait_until="load")
    control = {v["id"] for v in page.evaluate(AUDIT)}
    assert {"aria-prohibited-attr", "image-alt"} <= control, control
    problems = []
    audited = 0
    for build in builds:
        for url in build.pages():
            page.goto(build.origin + url, wait_until="load")
            audited += 1
            for violation in page.evaluate(AUDIT):
                problems.append(
                    f"{build.name}{url}: {violation['id']} ({violation['impact']}) {violation['nodes']}"
                )
    assert audited >= len(builds) * 5
    assert not origins.outside, f"requests left the site: {origins.outside[:5]}"
    assert not origins.missing, f"missing files: {origins.missing[:5]}"
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems[:40])
