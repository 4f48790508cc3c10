"""`bgpub submissions PROJECT`: form submissions `bgpub collect` stored, as a table, JSON or CSV."""

from __future__ import annotations

import json

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command()
@click.argument("project_ref", metavar="PROJECT")
@click.option("--form", help="Only this form (e.g. contact, newsletter).")
@click.option("--unhandled", is_flag=True, help="Only those not marked handled.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (a column per field).")
@click.option(
    "--mark-handled",
    "handled_id",
    metavar="ID",
    help="Mark submission ID handled (and list nothing).",
)
@click.option("--mark-new", "new_id", metavar="ID", help="Mark submission ID new again.")
@pass_cli
def submissions(
    cli: CliContext,
    project_ref: str,
    form: str | None,
    unhandled: bool,
    as_json: bool,
    as_csv: bool,
    handled_id: str | None,
    new_id: str | None,
) -> None:
    """List a project's form submissions, newest first: `bgpub submissions demo --form contact --csv`."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from bgpub.services.submissions import list_submissions, mark_handled, submissions_csv

    actor = cli.workspace().actor
    marked = handled_id or new_id
    if marked:
        mark_handled(actor, project_ref, marked, handled=bool(handled_id))
        click.echo(f"marked {marked} {'handled' if handled_id else 'new'}")
        return
    rows = list_submissions(actor, project_ref, form, unhandled=unhandled)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
    elif as_csv:
        click.echo(submissions_csv(rows), nl=False)
    elif not rows:
        click.echo("no submissions yet")
    else:
        for r in rows:
            state = "handled" if r.handled_at else "new"
            fields = ", ".join(f"{k}={v[:40]!r}" for k, v in r.data.items())
            click.echo(f"{r.id}  {r.created_at:%Y-%m-%d %H:%M}  {r.form:<12} {state:<8} {fields}")
