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
