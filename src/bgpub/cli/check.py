"""`bgpub check PROJECT [--json]`: what to fix before publishing (the editor shows the same list)."""

from __future__ import annotations

import json

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command()
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_cli
def check(ctx: CliContext, project: str, as_json: bool) -> None:
    """Check PROJECT before publishing: base URL, forms posting to placeholder addresses, sample text,
    broken internal links. Exits 1 when there are errors (warnings alone exit 0)."""
    from bgpub.domain.checks import ERROR
    from bgpub.services.site_checks import run_checks

    findings = run_checks(ctx.workspace().actor, project)
    errors = sum(1 for f in findings if f.severity == ERROR)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "project": project,
                    "errors": errors,
                    "warnings": len(findings) - errors,
                    "findings": [f.to_dict() for f in findings],
                },
                indent=2,
            )
        )
    else:
        for finding in findings:
            click.echo(f"{finding.severity:<7} {finding.where}: {finding.message}")
        click.echo(
            f"{errors} error(s), {len(findings) - errors} warning(s)"
            if findings
            else "no problems found"
        )
    if errors:
        raise SystemExit(1)
