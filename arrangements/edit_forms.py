"""The add and change pages' form, made from the field specification (`arrangements.spec`).

The form only gathers text; the write path checks it, so the page refuses exactly what the
API and the import refuse, and shows every problem at once.
"""

from __future__ import annotations

from django import forms

from arrangements import spec
from arrangements.models import Measure, Standing
from sharewell.widgets import GovukFormMixin

YES_NO = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
MONEY_PARTS = ("id", "period", "measure", "amount", "staff", "other", "partner", "standing", "source")
PARTNER_ROLES = [("member", "Member"), ("client", "Client"), ("provider", "Provider")]
AUTOCOMPLETE = {"data-sw-autocomplete": "organisations", "autocomplete": "off", "spellcheck": "false"}


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input (day, month, year). Its value is the text the write path reads:
    "2019-04-01", or "2019" when only the year is known; anything else is passed on as
    typed, so the write path's message says what is wrong with it."""

    template_name = "forms/govuk_date.html"

    def __init__(self):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput})

    def decompress(self, value):
        text = str(value or "")
        if len(text) == 10 and text[4] == "-":
            return [text[8:].lstrip("0"), text[5:7].lstrip("0"), text[:4]]
        return ["", "", text]

    def value_from_datadict(self, data, files, name):
        if name in data:  # a plain date text, as an API-minded script or old form posts it
            return data.get(name, "")
        day, month, year = (str(v or "").strip() for v in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return ""
        if not (day or month):
            return year
        if day.isdigit() and month.isdigit() and year.isdigit():
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{day}/{month}/{year}"


# A form offers these standings; "signed off" is set only by the sign-off action.
STANDING_CHOICES = [("", "Choose"), (Standing.EXPECTED, "Expected (a plan)"), (Standing.REPORTED, "Reported")]
MEASURE_CHOICES = [("", "Choose"), *Measure.choices]


def _form_field(f: spec.Field) -> forms.Field:
    common = {"label": f.label, "required": False, "help_text": f.hint}
    if f.kind == "longtext":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
    if f.kind == "choice":
        return forms.ChoiceField(choices=list(f.choices), widget=forms.RadioSelect, **common)
    if f.kind == "bool":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if f.kind == "tags":
        return forms.MultipleChoiceField(choices=list(f.choices), widget=forms.CheckboxSelectMultiple, **common)
    if f.kind == "organisation":
        return forms.CharField(widget=forms.TextInput(attrs=AUTOCOMPLETE), **common)
    if f.kind == "services":
        return forms.CharField(**{**common, "help_text": f.hint + ". Separate several with semicolons."})
    if f.kind == "date":
        return forms.CharField(widget=GovukDateWidget(), **common)
    return forms.CharField(**common)


class ArrangementForm(GovukFormMixin, forms.Form):
    """Every field of the specification that a person fills in, plus money rows
    (`ledger-0-period`, `ledger-0-amount`…) and the sources, one per line."""

    sources_text = forms.CharField(
        label="Sources",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a link, a citation, or both separated by “ | ”, for example "
        "“https://example.org/report | Cabinet report, 12 March 2019”",
    )

    def __init__(self, *args, initial_record: dict | None = None, extra_rows: int = 1, **kwargs):
        record = initial_record or {}
        super().__init__(*args, initial=_initial(record), **kwargs)
        for f in spec.FIELDS:
            if f.in_form and f.kind not in ("ledger", "sources", "partners"):
                self.fields[f.name] = _form_field(f)
                # Shown as required, but checked by the write path, so every problem is shown at once.
                self.fields[f.name].sw_required = f.required
        self.order_fields([f.name for f in spec.FIELDS if f.name in self.fields] + ["sources_text"])
        rows = record.get("ledger", [])
        self.money_rows = self._count("ledger", "period", "add-money", len(rows) + extra_rows)
        for index in range(self.money_rows):
            self._money_row(index, rows[index] if index < len(rows) else {})
        partners = [p for p in record.get("partners", []) if p.get("role") != "lead"]
        self.partner_rows = self._count("partner", "organisation", "add-partner", len(partners) + extra_rows)
        for index in range(self.partner_rows):
            self._partner_row(index, partners[index] if index < len(partners) else {})
        self.apply_govuk_classes()

    def _count(self, prefix: str, part: str, button: str, unbound: int) -> int:
        """How many rows of a repeated group to show: those posted, and one more when the
        "add another" button was pressed (it works without JavaScript)."""
        if not self.is_bound:
            return unbound
        posted = sum(1 for k in self.data if k.startswith(f"{prefix}-") and k.endswith(f"-{part}"))
        return max(posted, 1) + (1 if button in self.data else 0)

    def _partner_row(self, index: int, values: dict) -> None:
        p = f"partner-{index}-"
        self.fields[p + "organisation"] = forms.CharField(
            label="Organisation",
            required=False,
            initial=values.get("code", ""),
            widget=forms.TextInput(attrs=AUTOCOMPLETE),
            help_text="A name, code or GSS code",
        )
        self.fields[p + "role"] = forms.ChoiceField(
            label="Role", choices=PARTNER_ROLES, required=False, initial=values.get("role", "member")
        )
        for part in ("joined_on", "left_on"):
            self.fields[p + part] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=values.get(part) or ""
            )

    def partner_fields(self) -> list[list]:
        return [[self[f"partner-{i}-organisation"], self[f"partner-{i}-role"]] for i in range(self.partner_rows)]

    def _money_row(self, index: int, values: dict) -> None:
        p = f"ledger-{index}-"
        self.fields[p + "id"] = forms.CharField(required=False, widget=forms.HiddenInput, initial=values.get("id"))
        self.fields[p + "period"] = forms.CharField(
            label="Financial year",
            required=False,
            initial=values.get("period", ""),
            help_text="Like 2026/27, or a range like 2010/11-2011/12",
        )
        self.fields[p + "measure"] = forms.ChoiceField(
            label="What the figure is", choices=MEASURE_CHOICES, required=False, initial=values.get("measure", "")
        )
        self.fields[p + "amount"] = forms.CharField(
            label="Amount (£)", required=False, initial=_text(values.get("amount"))
        )
        self.fields[p + "staff"] = forms.CharField(
            label="of which staff (£)", required=False, initial=_text(values.get("staff"))
        )
        self.fields[p + "other"] = forms.CharField(
            label="of which other (£)", required=False, initial=_text(values.get("other"))
        )
        standing = values.get("standing", "")
        choices = (
            STANDING_CHOICES
            if standing != Standing.SIGNED_OFF
            else [*STANDING_CHOICES[1:], (Standing.SIGNED_OFF, "Signed off")]
        )
        self.fields[p + "standing"] = forms.ChoiceField(
            label="Standing", choices=choices, required=False, initial=standing
        )
        self.fields[p + "partner"] = forms.CharField(
            label="Partner's share (optional)",
            required=False,
            initial=values.get("partner") or "",
            help_text="Leave blank for the arrangement as a whole",
        )
        self.fields[p + "source"] = forms.CharField(
            label="Source of the figure (optional)", required=False, initial=values.get("source", "")
        )

    def money_fields(self) -> list[list]:
        return [[self[f"ledger-{i}-{part}"] for part in MONEY_PARTS] for i in range(self.money_rows)]

    def section_fields(self) -> list[dict]:
        sections = []
        for section in spec.SECTIONS:
            names = [f.name for f in spec.FIELDS if f.section == section.key and f.name in self.fields]
            if section.key == "about":
                names.append("sources_text")
            sections.append({"section": section, "fields": [self[n] for n in names]})
        return sections

    def raw(self) -> dict:
        """What the form says, for the write path."""
        data = self.cleaned_data
        raw: dict = {}
        for f in spec.FIELDS:
            if f.name not in self.fields:
                continue
            value = data.get(f.name)
            if f.kind == "bool":
                value = {"yes": True, "no": False}.get(value)
            raw[f.name] = value
        raw["partners"] = [
            {
                "code": data[f"partner-{i}-organisation"],
                "role": data.get(f"partner-{i}-role") or "member",
                "joined_on": data.get(f"partner-{i}-joined_on") or None,
                "left_on": data.get(f"partner-{i}-left_on") or None,
            }
            for i in range(self.partner_rows)
            if data.get(f"partner-{i}-organisation")
        ]
        raw["sources"] = []
        for line in (data.get("sources_text") or "").splitlines():
            if line.strip():
                url, _, citation = line.partition("|")
                url, citation = url.strip(), citation.strip()
                if url and not url.startswith(("http://", "https://")):
                    url, citation = "", line.strip()
                raw["sources"].append({"url": url, "citation": citation})
        raw["ledger"] = []
        for index in range(self.money_rows):
            row = {part: data.get(f"ledger-{index}-{part}") or None for part in MONEY_PARTS}
            if any(row[part] for part in ("period", "measure", "amount", "staff", "other")):
                raw["ledger"].append(row)
        return raw

    def add_problems(self, problems, raw: dict) -> None:
        """Put each problem beside its field: `ledger[2].amount` is row 2's amount."""
        ledger_rows = [
            i
            for i in range(self.money_rows)
            if any(self.cleaned_data.get(f"ledger-{i}-{p}") for p in ("period", "measure", "amount", "staff", "other"))
        ]
        for problem in problems:
            name = problem.field
            target = None
            if name.startswith("ledger[") and "]" in name:
                index = int(name[7 : name.index("]")])
                part = name.split(".", 1)[1] if "." in name else "period"
                if index < len(ledger_rows):
                    target = f"ledger-{ledger_rows[index]}-{part if part in MONEY_PARTS else 'period'}"
            elif name.startswith("sources"):
                target = "sources_text"
            elif name.startswith("partners[") and "]" in name:
                index = int(name[9 : name.index("]")])
                part = "role" if name.endswith(".role") else "organisation"
                chosen = [i for i in range(self.partner_rows) if self.cleaned_data.get(f"partner-{i}-organisation")]
                target = f"partner-{chosen[index]}-{part}" if index < len(chosen) else None
            else:
                base = name.split("[")[0].split(".")[0]
                target = {"start_year": "start_date", "end_year": "end_date", "categories": "services"}.get(base, base)
            if target not in self.fields:
                target = None
            self.add_error(target, problem.message)


def _text(value) -> str:
    return "" if value is None else str(value)


def _initial(record: dict) -> dict:
    initial = {}
    for f in spec.FIELDS:
        if f.name not in record:
            continue
        value = record[f.name]
        if f.kind == "bool":
            value = {True: "yes", False: "no"}.get(value, "not_known" if record else "")
        elif f.kind == "services":
            named = {s["lgsl"] for s in value}
            value = "; ".join(str(s["lgsl"]) for s in value)
            covered = {c for c in record.get("categories", [])}
            extra = [c for c in covered if c not in _categories_of(named)]
            value = "; ".join(x for x in [value, *extra] if x)
        elif f.kind == "date":
            value = record.get(f.name) or _text(record.get(f.name.replace("date", "year")))
        initial[f.name] = value
    initial["sources_text"] = "\n".join(
        " | ".join(x for x in (s.get("url"), s.get("citation")) if x) for s in record.get("sources", [])
    )
    return initial


def _categories_of(lgsls: set[int]) -> set[str]:
    from services.models import Service

    return set(Service.objects.filter(lgsl__in=lgsls).values_list("category__key", flat=True))
