"""A project's pages in navigation order, with site settings, theme, preview and publishing."""

from __future__ import annotations

import webbrowser

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from bgpub.domain.pages import PageRow
from bgpub.domain.projects import SiteSettings
from bgpub.domain.themes import ThemeInfo
from bgpub.tui.messages import Done, PagesRead, PreviewStarted, SiteLoaded, SlugChanged
from bgpub.tui.page_reads import PageReads
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.screens.modals import ChoiceModal, ConfirmModal, FormField, FormModal
from bgpub.tui.screens.page_settings import PageFormLoaded, PageSettingsModal
from bgpub.tui.screens.page_templates import (
    TemplateChoice,
    TemplatesLoaded,
    add_from_template,
    check_template,
    save_template,
    template_options,
    templates_of,
)
from bgpub.tui.screens.site_settings import SiteFormLoaded, SiteSettingsModal
from bgpub.tui.screens.theme import ThemeModal
from bgpub.tui.site_session import PageForm, SiteForm, site_of
from bgpub.tui.widgets.page_list import PageList
from bgpub.tui.widgets.screen_header import ScreenHeader


def check_title(value: str) -> str | None:
    return None if value.strip() else "a title is required"


class ProjectScreen(EditorScreen):
    """Pages as a filterable list, read a window at a time (100,000 pages open at once)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="project.back"),
        Binding("enter", "edit_page", "Edit", id="project.edit"),
        Binding("slash", "focus_filter", "Filter", id="project.filter"),
        Binding("n", "new_page", "New page", id="project.new-page"),
        Binding("r", "rename_page", "Rename", id="project.rename", show=False),
        Binding("s", "change_slug", "Slug", id="project.slug", show=False),
        Binding("ctrl+up,K", "move_page(-1)", "Move up", id="project.move-up", show=False),
        Binding("ctrl+down,J", "move_page(1)", "Move down", id="project.move-down", show=False),
        Binding("h", "set_home", "Set home", id="project.home", show=False),
        Binding("D", "duplicate_page", "Duplicate page", id="project.duplicate", show=False),
        Binding("m", "save_template", "Save as template", id="project.save-template", show=False),
        Binding("delete,x", "delete_page", "Delete", id="project.delete"),
        Binding("g", "site_settings", "Settings", id="project.settings", show=False),
        Binding("e", "page_settings", "Page settings", id="project.page-settings", show=False),
        Binding("T", "targets", "Deploy targets", id="project.targets", show=False),
        Binding("t", "theme", "Site theme", id="project.theme", show=False),
        Binding("a", "assets", "Assets", id="project.assets", show=False),
        Binding("P", "publish", "Publish", id="project.publish"),
        Binding("v", "versions", "Versions", id="project.versions"),
        Binding("b", "posts", "Posts", id="project.posts", show=False),
        Binding("c", "comments", "Comments", id="project.comments", show=False),
        Binding("S", "analytics", "Analytics", id="project.analytics", show=False),
        Binding("O", "orders", "Orders", id="project.orders", show=False),
        Binding("i", "products", "Products", id="project.products", show=False),
        Binding("u", "submissions", "Form submissions", id="project.submissions", show=False),
        Binding("H", "sections", "Shared sections", id="project.sections", show=False),
        Binding("p", "preview", "Preview", id="project.preview"),
        Binding("o", "open_browser", "Open in browser", show=False, id="project.open-browser"),
        Binding("f5", "reload", "Reload", show=False, id="project.reload"),
    ]
    AUTO_FOCUS = "#pages"
    PALETTE = (
        ("Stop the preview server", "stop_preview", "Stops the preview server of this project"),
    )

    def get_palette(self) -> tuple[tuple[str, str, str], ...]:
        """The palette names the project the preview belongs to (several may run at once)."""
        return (
            (
                "Stop the preview server",
                "stop_preview",
                f"Stops the preview server of {self.project}",
            ),
        )

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project
        self.site = SiteSettings()
        self.theme_list: tuple[ThemeInfo, ...] = ()
        self.preview: str | None = None
        self.templates: tuple[TemplateChoice, ...] = ()
        self._open_single = False  # open the only match once the filter's rows arrive
        self._reads = PageReads()

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="project-summary", classes="summary")
        yield Input(placeholder="/ filter pages by title or slug", id="page-filter", compact=True)
        yield PageList(id="pages")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.project
        self.sub_title = "pages"
        self.preview = self.session.preview_url(self.project)
        self.call_after_refresh(self.pages.focus)
        self.pages.reload()
        self.load_site()
        self.load_templates()

    @property
    def pages(self) -> PageList:
        return self.query_one(PageList)

    @on(PageList.RowsWanted)
    def _rows_wanted(self, message: PageList.RowsWanted) -> None:
        if self._reads.ask(message):
            self.read_pages()

    def on_unmount(self) -> None:
        self._reads.stop()

    @work(thread=True, group="project-pages")
    def read_pages(self) -> None:
        """The page list's reader: serves its reads on one connection while they keep coming."""
        worker = get_current_worker()
        with self.reporting("loading pages"):
            self._reads.serve(
                self.session.reading_pages, self._read_window, lambda: worker.is_cancelled
            )

    def _read_window(self, wanted: PageList.RowsWanted) -> None:
        """Reads one window; a failure is notified and the list may ask again."""
        window = None
        with self.reporting("loading pages"):
            window = self.session.page_window(
                self.project,
                wanted.text,
                wanted.start,
                wanted.limit,
                wanted.keep,
                total=wanted.total,
                shown=wanted.shown,
            )
        self.post_message(PagesRead(window, wanted))

    @work(thread=True, exclusive=True, group="project-site")
    def load_site(self) -> None:
        with self.reporting("loading site settings"):
            self.post_message(
                SiteLoaded(self.session.site_settings(self.project), self.session.themes())
            )

    def on_pages_read(self, message: PagesRead) -> None:
        if message.window is None:
            self.pages.forget(message.wanted)
            return
        self.pages.show_window(message.window, message.wanted)
        if self.focused is None and self.is_current:  # not while another screen is on top
            self.pages.focus()

    def action_reload(self) -> None:
        """Reads the page list again: pages added, renamed or deleted elsewhere appear."""
        self.pages.reload()
        self.load_site()

    def on_site_loaded(self, message: SiteLoaded) -> None:
        self.site = message.settings
        self.theme_list = message.themes
        self._summary()

    @on(PageList.Filtered)
    def _filtered(self, message: PageList.Filtered) -> None:
        self._summary(message.shown, message.total)
        if self._open_single and self.pages.settled:  # Enter in the filter, before the rows came
            self._open_single = False
            if message.shown == 1:
                self.action_edit_page()

    def _summary(self, shown: int | None = None, total: int | None = None) -> None:
        total = self.pages.total if total is None else total
        shown = self.pages.shown if shown is None else shown
        count = f"{total} page(s)" if shown == total else f"{shown} of {total} page(s)"
        parts = [self.site.title or self.project, count, f"theme {self.site.theme or '—'}"]
        if self.preview:
            parts.append(f"preview of {self.project.split('/')[-1]} at {self.preview}")
        self.query_one("#project-summary", Static).update("  ·  ".join(parts))

    @on(Input.Changed, "#page-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.pages.filter(event.value)

    @on(Input.Submitted, "#page-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the page it found; with several, the list takes the focus to choose."""
        self.pages.focus()
        if not event.value.strip():
            return
        if not self.pages.settled:  # the filter's rows are on their way: decide when they come
            self._open_single = True
        elif self.pages.shown == 1:
            self.action_edit_page()

    @on(PageList.Chosen)
    def _chosen(self, message: PageList.Chosen) -> None:
        self.bgpub.open_page(self.project, message.page.slug)

    def action_edit_page(self) -> None:
        page = self._current()
        if page is not None:
            self.bgpub.open_page(self.project, page.slug)

    def action_focus_filter(self) -> None:
        self.query_one("#page-filter", Input).focus()

    def action_back(self) -> None:
        if (
            self.focused is self.query_one("#page-filter", Input)
            and self.query_one("#page-filter", Input).value
        ):
            self.query_one("#page-filter", Input).value = ""
            self.pages.focus()
            return
        self.app.pop_screen()

    # pages
    def _current(self) -> PageRow | None:
        page = self.pages.current
        if page is None:
            self.notify("no page selected", severity="warning")
        return page

    def action_new_page(self) -> None:
        fields = [
            FormField("title", "Title", placeholder="About us", check=check_title),
            FormField(
                "slug",
                "Slug (the page's URL)",
                placeholder="about-us",
                check=self.session.check_slug,
            ),
        ]
        if self.templates:  # the organization's page templates (m saves one)
            fields.append(
                FormField("template", "Start from", "", options=template_options(self.templates))
            )
        self.app.push_screen(FormModal("New page", fields, submit="Add"), self._add_page)

    def _add_page(self, values: dict[str, str] | None) -> None:
        if values and values.get("template"):
            self.add_from_template(values["template"], values["slug"], values["title"])
        elif values:
            self.change(
                f"added page {values['slug']}",
                "add_page",
                values["slug"],
                values["title"],
                keep=values["slug"],
            )

    @work(thread=True, exclusive=True, group="project-templates")
    def load_templates(self) -> None:
        with self.reporting("loading page templates"):
            self.post_message(TemplatesLoaded(templates_of(self.session, self.project)))

    def on_templates_loaded(self, message: TemplatesLoaded) -> None:
        self.templates = message.templates

    @work(thread=True, exclusive=True, group="project-change")
    def add_from_template(self, template: str, slug: str, title: str) -> None:
        with self.reporting("add page from template"):
            made = add_from_template(self.session, self.project, template, slug, title)
            self.post_message(
                Done(
                    f"added page {made.slug} from template {template} ({made.blocks} blocks)",
                    keep=made.slug,
                )
            )

    def action_save_template(self) -> None:
        page = self._current()
        if page is None:
            return
        fields = [
            FormField(
                "name",
                "Template name",
                page.slug,
                placeholder="e.g. pricing-page",
                check=check_template,
            ),
            FormField(
                "description", "What it is for (optional)", placeholder="e.g. plans and prices"
            ),
        ]

        def answered(v: dict[str, str] | None) -> None:
            if v:
                self.save_template(page.slug, v["name"], v["description"])

        self.app.push_screen(
            FormModal(f"Save {page.title!r} as a page template", fields, submit="Save"),
            answered,
        )

    @work(thread=True, exclusive=True, group="project-change")
    def save_template(self, slug: str, name: str, description: str) -> None:
        with self.reporting("save page template"):
            saved = save_template(self.session, self.project, slug, name, description)
            self.post_message(
                Done(
                    f"saved /{slug} as page template {saved.name}, offered by n (new page) "
                    f"in every project of {saved.organization}",
                    keep=slug,
                )
            )

    def action_rename_page(self) -> None:
        page = self._current()
        if page is None:
            return
        field = FormField("title", "Title", page.title, check=check_title)

        def answered(v: dict[str, str] | None) -> None:
            if v:
                self.change("renamed", "rename_page", page.slug, v["title"], keep=page.slug)

        self.app.push_screen(
            FormModal(f"Rename /{page.slug}", [field]),
            answered,
        )

    def action_change_slug(self) -> None:
        page = self._current()
        if page is None:
            return
        field = FormField("slug", "Slug", page.slug, check=self.session.check_slug)

        def answered(v: dict[str, str] | None) -> None:
            if v and v["slug"] != page.slug:
                self.move_slug(page.slug, v["slug"])

        self.app.push_screen(
            FormModal(f"Change the slug of {page.title!r}", [field]),
            answered,
        )

    @work(thread=True, exclusive=True, group="project-change")
    def move_slug(self, old: str, new: str) -> None:
        """Changes the slug, then counts the internal links still pointing at the old address."""
        with self.reporting("change slug"):
            self.session.change_slug(self.project, old, new)
            self.post_message(SlugChanged(old, new, self.session.links_to(self.project, old)))

    def on_slug_changed(self, message: SlugChanged) -> None:
        self.on_done(Done(f"slug is now {message.new}", keep=message.new))
        if not message.links:
            return
        question = (
            f"{message.links} internal link(s) still point to /{message.old}/, which no longer exists. "
            f"Point them to /{message.new}/?"
        )

        def answered(answer: str | None) -> None:
            if answer == "update":
                self.change(
                    f"links to /{message.old}/ now point to /{message.new}/",
                    "retarget_links",
                    message.old,
                    message.new,
                    keep=message.new,
                )

        self.app.push_screen(
            ChoiceModal(question, [("update", "Update the links"), ("keep", "Leave them")]),
            answered,
        )

    def action_duplicate_page(self) -> None:
        page = self._current()
        if page is None:
            return
        fields = [
            FormField("title", "Title", f"{page.title} (copy)", check=check_title),
            FormField(
                "slug", "Slug (the copy's URL)", f"{page.slug}-copy", check=self.session.check_slug
            ),
        ]

        def answered(v: dict[str, str] | None) -> None:
            if v:
                self.change(
                    f"duplicated /{page.slug} as /{v['slug']}",
                    "duplicate_page",
                    page.slug,
                    v["slug"],
                    v["title"],
                    keep=v["slug"],
                )

        self.app.push_screen(
            FormModal(f"Duplicate {page.title!r}", fields, submit="Duplicate"),
            answered,
        )

    def action_move_page(self, delta: int) -> None:
        page = self._current()
        if page is None:
            return
        number = self.pages.current_number
        target = (number or 0) - 1 + delta
        if number is not None and 0 <= target < self.pages.total:
            self.change("", "move_page", page.slug, target, keep=page.slug)

    def action_set_home(self) -> None:
        page = self._current()
        if page is not None:
            self.change(
                f"{page.title!r} (/{page.slug}) is the home page, served at /",
                "set_home",
                page.slug,
                keep=page.slug,
            )

    def action_delete_page(self) -> None:
        page = self._current()
        if page is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(f"deleted /{page.slug}", "delete_page", page.slug)

        self.app.push_screen(
            ConfirmModal(
                f"Delete the page {page.title!r} (/{page.slug})?", confirm="Delete", danger=True
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="project-change")
    def change(self, text: str, operation: str, *args: str | int, keep: str | None = None) -> None:
        """Runs one page operation of the session, then reloads the list."""
        with self.reporting(operation.replace("_", " ")):
            getattr(self.session, operation)(self.project, *args)
            self.post_message(Done(text, keep=keep))

    def on_done(self, message: Done) -> None:
        if message.text:
            self.notify(message.text)
        self.pages.reload(message.keep)
        self.load_site()
        self.load_templates()

    # site
    def action_site_settings(self) -> None:
        self.load_site_form()

    @work(thread=True, exclusive=True, group="project-forms")
    def load_site_form(self) -> None:
        with self.reporting("loading the site settings"):
            site = site_of(self.app)
            self.post_message(
                SiteFormLoaded(site.site_form(self.project), site.images(self.project))
            )

    def on_site_form_loaded(self, message: SiteFormLoaded) -> None:
        site, project, before = site_of(self.app), self.project, message.form
        modal = SiteSettingsModal(
            before, message.images, lambda form: site.save_site_form(project, form, before)
        )

        def answered(form: SiteForm | None) -> None:
            if form is not None:
                self.on_done(Done("site settings saved"))

        self.app.push_screen(modal, answered)

    def action_page_settings(self) -> None:
        page = self._current()
        if page is not None:
            self.load_page_form(page.slug)

    @work(thread=True, exclusive=True, group="project-forms")
    def load_page_form(self, slug: str) -> None:
        with self.reporting("loading the page settings"):
            site = site_of(self.app)
            self.post_message(
                PageFormLoaded(site.page_form(self.project, slug), site.images(self.project))
            )

    def on_page_form_loaded(self, message: PageFormLoaded) -> None:
        site, project, slug = site_of(self.app), self.project, message.form.slug
        modal = PageSettingsModal(
            project, message.form, message.images, lambda form: site.save_page_form(project, form)
        )

        def answered(form: PageForm | None) -> None:
            if form is not None:
                self.on_done(Done(f"settings of /{slug} saved", keep=slug))

        self.app.push_screen(
            modal,
            answered,
        )

    def action_targets(self) -> None:
        from bgpub.tui.screens.targets import TargetsScreen

        self.app.push_screen(TargetsScreen(self.project))

    def action_theme(self) -> None:
        if not self.theme_list:
            self.notify("no themes found", severity="warning")
            return
        self.app.push_screen(
            ThemeModal(
                self.site, self.theme_list, self.session.token_problem, self.session.theme_fonts
            ),
            self._save_site,
        )

    def _save_site(self, settings: SiteSettings | None) -> None:
        if settings is not None:
            self.change("site settings saved", "update_site_settings", settings)

    # elsewhere
    def action_assets(self) -> None:
        self.bgpub.open_assets(self.project)

    def action_versions(self) -> None:
        self.bgpub.open_versions(self.project)

    def action_posts(self) -> None:
        from bgpub.tui.screens.posts import PostsScreen

        self.app.push_screen(PostsScreen(self.project))

    def action_comments(self) -> None:
        from bgpub.tui.screens.comments import CommentsScreen

        self.app.push_screen(CommentsScreen(self.project))

    def action_analytics(self) -> None:
        from bgpub.tui.screens.analytics import AnalyticsScreen

        self.app.push_screen(AnalyticsScreen(self.project))

    def action_products(self) -> None:
        from bgpub.tui.screens.products import ProductsScreen

        self.app.push_screen(ProductsScreen(self.project))

    def action_orders(self) -> None:
        from bgpub.tui.screens.orders import OrdersScreen

        self.app.push_screen(OrdersScreen(self.project))

    def action_sections(self) -> None:
        from bgpub.tui.screens.sections import SectionsScreen

        self.app.push_screen(SectionsScreen(self.project))

    def action_submissions(self) -> None:
        from bgpub.tui.screens.submissions import SubmissionsScreen

        self.app.push_screen(SubmissionsScreen(self.project))

    def action_publish(self) -> None:
        self.bgpub.start_publish(self.project)

    def action_preview(self) -> None:
        if self.preview:
            self.notify(f"preview running at {self.preview} (o opens the browser)")
            return
        self.start_preview()

    @work(thread=True, exclusive=True, group="project-preview")
    def start_preview(self) -> None:
        with self.reporting("starting the preview"):
            self.post_message(PreviewStarted(self.session.start_preview(self.project)))

    def on_preview_started(self, message: PreviewStarted) -> None:
        self.preview = message.url
        self.notify(f"preview of {self.project} at {message.url} (o opens the browser)")
        self._summary()

    def action_stop_preview(self) -> None:
        self.stop_preview()

    @work(thread=True, exclusive=True, group="project-preview")
    def stop_preview(self) -> None:
        with self.reporting("stopping the preview"):
            stopped = self.session.stop_preview(self.project)
            self.preview = None
            self.post_message(
                Done(
                    f"preview of {self.project} stopped"
                    if stopped
                    else f"no preview of {self.project} is running"
                )
            )

    def action_open_browser(self) -> None:
        if not self.preview:
            self.notify("start the preview first (p)", severity="warning")
            return
        self._open(self.preview)

    @work(thread=True, group="project-browser")
    def _open(self, url: str) -> None:
        with self.reporting("opening the browser"):
            if not webbrowser.open(
                url
            ):  # no browser here, as over SSH: the URL is what the user needs
                self.app.call_from_thread(
                    self.notify,
                    f"no browser found here: open {url} yourself",
                    severity="warning",
                    timeout=10,
                )
