"""The `bgpub` command: argument parsing and output only; every operation is a service call.

Sub-commands live in their own modules and are imported only when used, so `bgpub --help`
stays fast and `build`, `publish` and `preview` never import Textual.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import sys

import click

from bgpub import __version__
from bgpub.errors import BgpubError, database_fault

# A command ends with the interpreter's exit, whose last garbage collection visits every object
# still alive: after a build of 100,000 pages, its snapshot and render state, 3.8-4.4 s under load
# (bench/README.md, round ten). That pass only finds cyclic garbage, which the exit releases with
# the process anyway; frozen objects are skipped. atexit handlers, buffered files and the database
# connection still close as before; only finalizers of unreachable cycles no longer run at exit.
atexit.register(gc.freeze)

# command name -> "module:attribute"; each module owns one area of the CLI.
COMMANDS: dict[str, str] = {
    # foundation
    "db": "bgpub.cli.db:db",
    # editing, import/export, build
    "library": "bgpub.cli.library:library",
    "project": "bgpub.cli.project:project",
    "new": "bgpub.cli.project:new",
    "page": "bgpub.cli.page:page",
    "block": "bgpub.cli.block:block",
    "section": "bgpub.cli.section:section",
    "asset": "bgpub.cli.asset:asset",
    "export": "bgpub.cli.transfer:export_project",
    "import": "bgpub.cli.transfer:import_project",
    "import-posts": "bgpub.cli.import_posts:import_posts",
    "import-wordpress": "bgpub.cli.import_posts:import_wordpress",
    "build": "bgpub.cli.build:build",
    "theme": "bgpub.cli.theme:theme",
    # the blog
    "post": "bgpub.cli.post:post",
    "category": "bgpub.cli.category:category",
    "tag": "bgpub.cli.tag:tag",
    "comment": "bgpub.cli.comment:comment",
    "schedule": "bgpub.cli.schedule:schedule",
    # the shop
    "product": "bgpub.cli.product:product",
    "variant": "bgpub.cli.variant:variant",
    # publishing
    "check": "bgpub.cli.check:check",
    "publish": "bgpub.cli.publish:publish",
    "versions": "bgpub.cli.publish:versions",
    "diff": "bgpub.cli.publish:diff",
    "rollback": "bgpub.cli.publish:rollback",
    "promote": "bgpub.cli.promote:promote",
    "target": "bgpub.cli.target:target",
    "webhook": "bgpub.cli.webhook:webhook",
    # teams and security
    "config": "bgpub.cli.config:config",
    "whoami": "bgpub.cli.config:whoami",
    "org": "bgpub.cli.org:org",
    "member": "bgpub.cli.org:member",
    "user": "bgpub.cli.user:user",
    "audit": "bgpub.cli.audit:audit",
    "secrets": "bgpub.cli.secrets:secrets",
    "integration": "bgpub.cli.secrets:integration",
    # front ends
    "preview": "bgpub.cli.preview:preview",
    "edit": "bgpub.cli.edit:edit",
    # beside the published site
    "collect": "bgpub.cli.collect:collect",
    "stats": "bgpub.cli.stats:stats",
    "submissions": "bgpub.cli.submissions:submissions",
    # the shop
    "order": "bgpub.cli.order:order",
}


class LazyGroup(click.Group):
    """Loads a sub-command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | set(COMMANDS)
        return sorted(n for n in names if self.get_command(ctx, n) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module_name, attr = COMMANDS[name].split(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:  # that area of the CLI is not installed in this build
                    return None
                raise
            return getattr(module, attr, None)
        return super().get_command(ctx, name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--database-url",
    envvar="BGPUB_DATABASE_URL",
    help="sqlite:///PATH or postgresql://USER@HOST/DB (default: the workspace's SQLite file).",
)
@click.option(
    "--as",
    "as_email",
    metavar="EMAIL",
    help="Act as another user (only where the configuration allows impersonation).",
)
@click.version_option(__version__, prog_name="bgpub")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, as_email: str | None) -> None:
    """bgpub: build websites in the terminal and publish them as versioned static files.

    Run with no command to open the editor.
    """
    from bgpub.cli.context import CliContext

    ctx.obj = CliContext(database_url=database_url, as_email=as_email)
    if ctx.invoked_subcommand is None:
        edit = cli.get_command(ctx, "edit")
        if edit is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(edit)


def undecodable_argument(argv: list[str]) -> str | None:
    """Names the first argument that is not valid UTF-8 (a Latin-1 terminal typing 'café')."""
    for index, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            option = argv[index - 1] if index and argv[index - 1].startswith("-") else None
            name = option or (arg.split("=", 1)[0] + "=" if "=" in arg else f"argument {index + 1}")
            name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return f"{name}: '{shown}' is not valid UTF-8; set the terminal's encoding to UTF-8"
    return None


def file_fault(exc: OSError) -> str:
    """One line for a file system error: what the system said and which path, without the errno
    number or a traceback (`[Errno 28] No space left on device: 'site/x'` -> `site/x: no space left
    on device`)."""
    reason = (exc.strerror or str(exc) or type(exc).__name__).strip()
    reason = reason[:1].lower() + reason[1:]
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    if not paths:
        return f"file system: {reason}"
    return f"{' -> '.join(paths)}: {reason}"


def main(argv: list[str] | None = None) -> None:
    """Runs the CLI; a user mistake prints one line on stderr and exits non-zero, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    problem = undecodable_argument(args)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    try:
        cli.main(args=args, prog_name="bgpub", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(
            exc.ctx.get_help() if exc.ctx else exc.format_message()
        )  # `bgpub page`: its help, like git
        sys.exit(0)
    except click.exceptions.Abort:
        click.echo(
            "error: not confirmed, nothing was changed (pass --yes to confirm without a question)",
            err=True,
        )
        sys.exit(1)
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except BgpubError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as exc:  # the file system refused (disk full, a file where a folder must be...)
        click.echo(f"error: {file_fault(exc)}", err=True)
        sys.exit(1)
    except Exception as exc:
        fault = database_fault(exc)  # a database driver's error: one line, never a traceback
        if fault is None:
            raise
        click.echo(f"error: {fault}", err=True)
        sys.exit(fault.exit_code)
