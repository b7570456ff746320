"""Page objects for the main journeys: what a person does, not how the page is built."""

from __future__ import annotations


class DirectoryPage:
    def __init__(self, page):
        self.page = page

    def open(self):
        self.page.goto("/organisations/")
        return self

    def search(self, text: str):
        self.page.get_by_label("Name, code or GSS code").fill(text)
        self.page.get_by_role("button", name="Apply filters").click()
        return self

    def result_names(self) -> list[str]:
        return self.page.locator("table.govuk-table tbody th a").all_inner_texts()

    def open_result(self, name: str) -> ProfilePage:
        self.page.get_by_role("link", name=name, exact=True).click()
        return ProfilePage(self.page)


class ProfilePage:
    def __init__(self, page):
        self.page = page

    def open(self, code: str):
        self.page.goto(f"/organisations/{code}/")
        return self

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def drawn_polygons(self) -> int:
        """Waits for the Leaflet map to draw, then counts its shapes."""
        self.page.wait_for_selector("#organisation-map[data-features-drawn]")
        return self.page.locator("#organisation-map path.leaflet-interactive").count()

    def neighbour_names(self) -> list[str]:
        return self.page.locator("#neighbours + table tbody th a").all_inner_texts()


class SignInPage:
    def __init__(self, page):
        self.page = page

    def sign_in(self, username: str, password: str, next_url: str = "/"):
        self.page.goto(f"/account/sign-in/?next={next_url}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        return self


class MapPage:
    """The map of shared services: councils shaded by count, a list beside it, a table below."""

    def __init__(self, page):
        self.page = page
        self.map = page.locator("#arrangements-map")

    def open(self, query: str = ""):
        self.page.goto(f"/map/{'?' + query if query else ''}")
        return self

    def wait_for_boundaries(self) -> int:
        """Waits for the council boundaries to be drawn, then counts the council shapes."""
        self.page.wait_for_selector("#arrangements-map[data-councils-drawn]")
        return self.map.locator("path.sw-council").count()

    def shaded_areas(self) -> list[str]:
        """GSS codes of the drawn areas shaded as having at least one arrangement."""
        return self.page.eval_on_selector_all(
            "#arrangements-map path.sw-council[data-area]",
            "paths => paths.filter(p => p.getAttribute('fill') !== '#ffffff').map(p => p.dataset.area).sort()",
        )

    def shade_two_tier_areas_by(self, tier: str):
        self.page.get_by_label(tier, exact=True).check()
        return self

    def show_partners_of(self, title: str):
        item = self.page.locator("#map-arrangement-list li").filter(has=self.page.get_by_role("link", name=title))
        item.get_by_role("button", name="Show partners on the map").click()
        return self

    def partner_lines(self) -> int:
        return self.map.locator("path.sw-partner-line").count()

    def click_area(self, gss_code: str):
        # A click event on the shape itself: a pointer click at its centre can land on another
        # layer drawn over it while the map is still moving.
        self.map.locator(f'path[data-area="{gss_code}"]').dispatch_event("click")
        return self

    def panel_heading(self) -> str:
        return self.page.locator("#map-panel-heading").inner_text()

    def listed_arrangements(self) -> list[str]:
        return self.page.locator("#map-arrangement-list li:not([hidden]) > a").all_inner_texts()

    def council_counts(self) -> dict[str, str]:
        rows = self.page.locator("#council-counts tbody tr")
        return {
            rows.nth(i).locator("th a").inner_text(): rows.nth(i).locator("td").last.inner_text()
            for i in range(rows.count())
        }


class DashboardPage:
    def __init__(self, page):
        self.page = page

    def open(self, query: str = ""):
        self.page.goto(f"/dashboard/{'?' + query if query else ''}")
        return self

    def figure(self, name: str) -> str:
        return self.page.locator(f"#figure-{name}").inner_text()

    def table_rows(self, table: str) -> list[list[str]]:
        rows = self.page.locator(f"#table-{table} tbody tr")
        return [rows.nth(i).locator("th, td").all_inner_texts() for i in range(rows.count())]


class ArrangementListPage:
    """The register of shared services: filters beside a table, and downloads of the same view."""

    def __init__(self, page):
        self.page = page

    def open(self, query: str = ""):
        self.page.goto(f"/arrangements/{'?' + query if query else ''}")
        return self

    def filter(self, **choices: str):
        """Choose options by their visible labels, e.g. filter(category="Legal services")."""
        labels = {
            "category": "Service category",
            "region": "Region of a partner",
            "status": "Status",
            "model": "Delivery model",
            "nation": "Nation of a partner",
        }
        for name, option in choices.items():
            self.page.get_by_label(labels[name]).select_option(label=option)
        self.page.get_by_role("button", name="Apply filters").click()
        return self

    def result_count(self) -> str:
        return self.page.locator("#results-heading").inner_text()

    def result_titles(self) -> list[str]:
        return self.page.locator("table.govuk-table tbody th a").all_inner_texts()

    def download(self, link_name: str) -> bytes:
        """Follows a "Download this view" link and returns the file it gives."""
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name=link_name, exact=True).click()
        download = info.value
        with open(download.path(), "rb") as file:
            return file.read()

    def open_result(self, title: str) -> ArrangementPage:
        self.page.get_by_role("link", name=title, exact=True).click()
        return ArrangementPage(self.page)


class ArrangementPage:
    def __init__(self, page):
        self.page = page

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def partners(self) -> list[tuple[str, str]]:
        """(organisation, role) for each row of the partners table."""
        rows = self.page.get_by_role("region", name="Partners").locator("tbody tr")
        return [
            (rows.nth(i).locator("th").inner_text(), rows.nth(i).locator("td").first.inner_text())
            for i in range(rows.count())
        ]

    def money(self) -> list[list[str]]:
        """[[year, figure, amount, staff, other, standing], …] from the money table."""
        rows = self.page.locator("#table-ledger tbody tr")
        return [
            [rows.nth(i).locator("th").inner_text(), *rows.nth(i).locator("td").all_inner_texts()]
            for i in range(rows.count())
        ]


class ImportPage:
    """The upload page for a spreadsheet of arrangements, and the import job page it leads to."""

    def __init__(self, page):
        self.page = page

    def open(self):
        self.page.goto("/arrangements/import/")
        return self

    def upload(self, path, check_only: bool = True):
        self.page.get_by_label("Spreadsheet").set_input_files(str(path))
        self.page.get_by_label("Check the file only").set_checked(check_only)
        self.page.get_by_role("button", name="Upload").click()
        return self

    def import_checked_file(self):
        self.page.get_by_role("button", name="Import these arrangements").click()
        return self

    def problems(self) -> list[list[str]]:
        """Row, column, value and problem for each row of the problems table."""
        rows = self.page.locator("table.govuk-table tbody tr")
        return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


class SurveyPages:
    """The annual survey: one question page per arrangement, then check your answers."""

    def __init__(self, page):
        self.page = page

    def open(self):
        self.page.goto("/survey/")
        return self

    def choose_organisation(self, name: str):
        self.page.get_by_role("link", name=name, exact=True).click()
        return self

    def listed_arrangements(self) -> list[str]:
        return self.page.locator("main ul.govuk-list--bullet li").all_inner_texts()

    def start(self):
        self.page.get_by_role("button", name="Start now").click()
        return self

    def checked_status(self) -> str:
        group = self.page.get_by_role("group", name="What is its status now?")
        return group.locator("input:checked + label").inner_text()

    def year(self) -> str:
        return self.page.get_by_label("Which financial year is this figure for?").input_value()

    def answer(
        self, status: str | None = None, savings: str | None = None, period: str | None = None, note: str | None = None
    ):
        """Answers the question page shown; what is not given keeps what the page shows (the
        status in the register or saved, the year prefilled with the round's)."""
        if status:
            self.page.get_by_label(status, exact=True).check()
        for label, value in (
            ("Savings it achieved", savings),
            ("Which financial year is this figure for?", period),
            ("Anything to add", note),
        ):
            if value is not None:
                self.page.get_by_label(label).fill(value)
        self.page.get_by_role("button", name="Continue").click()
        return self

    def say_new_arrangements(self, yes: bool):
        self.page.get_by_label("Yes" if yes else "No", exact=True).check()
        self.page.get_by_role("button", name="Continue").click()
        return self

    def last_saved(self) -> str:
        """Who last saved the organisation's draft, and when, as the start and check pages say."""
        return self.page.locator("#last-saved").inner_text()

    def check_saved_answers(self):
        self.page.get_by_role("link", name="Check the answers saved so far").click()
        return self

    def answers_shown(self) -> list[str]:
        return self.page.locator("dd.govuk-summary-list__value").all_inner_texts()

    def submit(self):
        self.page.get_by_role("button", name="Submit survey").click()
        return self


class AddArrangementPage:
    def __init__(self, page):
        self.page = page

    def fill(self, **fields: str):
        """Fields by their labels; selects take the option's label."""
        for label, value in fields.items():
            field = self.page.get_by_label(label, exact=True)
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        return self

    def choose(self, **groups: str):
        """Radios by their group's legend and the option's label."""
        for legend, option in groups.items():
            self.page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()
        return self

    def date(self, legend: str, day: str = "", month: str = "", year: str = ""):
        """A GOV.UK date input, by its legend."""
        group = self.page.get_by_role("group", name=legend)
        for label, value in (("Day", day), ("Month", month), ("Year", year)):
            group.get_by_label(label, exact=True).fill(value)
        return self

    def save(self):
        self.page.get_by_role("button", name="Save").click()
        return self


class ModerationQueuePage:
    """The moderators' queue: new arrangements to publish and changes to approve or reject."""

    def __init__(self, page):
        self.page = page

    def open(self):
        self.page.goto("/arrangements/moderation/")
        return self

    def card(self, title: str):
        """The queue's card for one arrangement's waiting change."""
        return self.page.locator(".govuk-summary-card").filter(
            has=self.page.get_by_role("heading").get_by_role("link", name=title, exact=True)
        )

    def changes_of(self, title: str) -> list[str]:
        return self.card(title).locator("dd ul li").all_inner_texts()

    def approve(self, title: str):
        self.card(title).get_by_role("button", name="Approve").click()
        return self

    def reject(self, title: str, reason: str):
        card = self.card(title)
        if card.locator("details").get_attribute("open") is None:
            card.locator("summary").click()
        card.get_by_label("Why are you rejecting it?").fill(reason)
        card.get_by_role("button", name="Reject", exact=False).last.click()
        return self
