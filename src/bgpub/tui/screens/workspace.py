"""The first screen: the user's organizations and their projects; create, open, archive, delete."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from bgpub.domain.organizations import OrganizationRow
from bgpub.domain.projects import ProjectRow
from bgpub.domain.slugs import PROJECT_NAME_MAX_LENGTH, is_slug
from bgpub.tui.messages import Done, ProjectCreated, WorkspaceLoaded
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.screens.modals import ConfirmModal, FormField, FormModal
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

BLANK = "(blank)"


def check_name(value: str) -> str | None:
    """A project name is a slug (`domain.slugs`, the rule the service applies): it is typed on
    the command line."""
    if not value:
        return "a name is required"
    if not is_slug(value, max_length=PROJECT_NAME_MAX_LENGTH):
        return (
            "use lower-case letters, digits and single hyphens, e.g. 'my-site'"
            f" (at most {PROJECT_NAME_MAX_LENGTH} characters)"
        )
    return None


class WorkspaceScreen(EditorScreen):
    """Organizations and projects: status, page count, last publish and by whom."""

    BINDINGS = [
        Binding("enter", "open_project", "Open", id="workspace.open"),
        Binding("n", "new_project", "New project", id="workspace.new"),
        Binding("a", "archive_project", "Archive", id="workspace.archive"),
        Binding("delete,x", "delete_project", "Delete", id="workspace.delete"),
        Binding("f5", "refresh", "Refresh", id="workspace.refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[ProjectRow, ...] = ()
        self.organizations: tuple[OrganizationRow, ...] = ()
        self.starter_names: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="workspace-summary", classes="summary")
        yield FittedTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "bgpub"
        self.sub_title = "workspace"
        table = self.query_one("#projects", DataTable)
        for label in ("Org", "Project", "Status", "Pages", "Last publish", "By"):
            table.add_column(
                label
            )  # sized to their content: never cut while free space sits beside them

    @work(thread=True, exclusive=True, group="workspace-load")
    def load(self) -> None:
        with self.reporting("loading the workspace"):
            self.post_message(
                WorkspaceLoaded(
                    self.session.organizations(), self.session.projects(), self.session.starters()
                )
            )

    def on_workspace_loaded(self, message: WorkspaceLoaded) -> None:
        self.rows = message.projects
        self.organizations = message.organizations
        self.starter_names = message.starters
        table = self.query_one("#projects", DataTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(
                row.organization,
                f"{row.name} · {row.title}" if row.title and row.title != row.name else row.name,
                row.status.lower(),
                str(row.page_count),
                self.when(row.last_publish_at),
                row.last_publish_by or "—",
                key=row.ref,
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        orgs = ", ".join(f"{o.name} ({o.role.lower()})" for o in self.organizations)
        hint = "" if self.rows else "  ·  press n to create your first site"
        self.query_one("#workspace-summary", Static).update(
            f"{self.session.actor_label}  ·  {orgs}  ·  {len(self.rows)} project(s){hint}"
        )

    @property
    def current(self) -> ProjectRow | None:
        table = self.query_one("#projects", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowSelected, "#projects")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_project()

    def action_open_project(self) -> None:
        if self.current is not None:
            self.bgpub.open_project(self.current.ref)

    def action_refresh(self) -> None:
        self.load()

    def action_new_project(self) -> None:
        if not self.organizations:
            self.notify("no organization to create a project in", severity="warning")
            return
        room = [o for o in self.organizations if not o.full]
        if not room:  # say so before the form is filled, with the command that lifts the limit
            self.notify(
                "\n".join(o.full for o in self.organizations),
                title="Project limit reached",
                severity="warning",
                timeout=15,
            )
            return
        full = {o.slug: o.full for o in self.organizations if o.full}
        orgs = tuple(
            (f"{o.name} ({o.slug})", o.slug)
            for o in room + [o for o in self.organizations if o.full]
        )
        starters = ((f"{BLANK} an empty site", BLANK),) + tuple((s, s) for s in self.starter_names)
        fields = [
            FormField("organization", "Organization", orgs[0][1], options=orgs, check=full.get),
            FormField(
                "starter",
                "Start from",
                self.starter_names[0] if self.starter_names else BLANK,
                options=starters,
            ),
            FormField(
                "name", "Name (used on the command line)", placeholder="my-site", check=check_name
            ),
            FormField("title", "Title", placeholder="My site"),
        ]

        def created(values: dict[str, str] | None) -> None:
            if values:
                self.create(values)

        self.app.push_screen(FormModal("New project", fields, submit="Create"), created)

    @work(thread=True, exclusive=True, group="workspace-create")
    def create(self, values: dict[str, str]) -> None:
        with self.reporting("creating the project"):
            starter = None if values["starter"] == BLANK else values["starter"]
            row = self.session.create_project(
                values["organization"], values["name"], values["title"], starter
            )
            self.post_message(ProjectCreated(row))

    def on_project_created(self, message: ProjectCreated) -> None:
        self.notify(f"created {message.project.ref}")
        self.load()
        self.bgpub.open_project(message.project.ref)

    def action_archive_project(self) -> None:
        row = self.current
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.archive(row.ref)

        self.app.push_screen(
            ConfirmModal(
                f"Archive {row.ref}? It stays in the database, read-only.", confirm="Archive"
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="workspace-change")
    def archive(self, ref: str) -> None:
        with self.reporting(f"archiving {ref}"):
            self.session.archive_project(ref)
            self.post_message(Done(f"archived {ref}"))

    def action_delete_project(self) -> None:
        row = self.current
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(row.ref)

        question = f"Delete {row.ref} with its {row.page_count} page(s), assets and versions? This cannot be undone."
        self.app.push_screen(ConfirmModal(question, confirm="Delete", danger=True), answered)

    @work(thread=True, exclusive=True, group="workspace-change")
    def delete(self, ref: str) -> None:
        with self.reporting(f"deleting {ref}"):
            self.session.delete_project(ref)
            self.post_message(Done(f"deleted {ref}"))

    def on_done(self, message: Done) -> None:
        self.notify(message.text)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()
