"""The five shared services of the LGA's 2012 study ("Shared services: costs spared?"), as cases.

The study gives each arrangement's baseline cost, its staff and other savings in total over
years 1 and 2, its one-off set-up cost and its cumulative savings to March 2012, and found
set-up costs "paid back in less than two years" for all of them. Entered as the study
reports them: the set-up cost and the first year's savings both in year 0, the second
year's savings in year 1, each year's savings half the two-year total. Hoople began in
April 2011, so by March 2012 it had one year: its total (equal to its cumulative savings)
is year 1's, and year 2 is taken to repeat it, as the study's payback finding assumes.
Vale of White Horse and South Oxfordshire gave no set-up cost, so it has no cost line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from engines.appraisal.case import ONE_OFF_COST, SAVING, Case, Line


@dataclass(frozen=True, slots=True)
class StudyCase:
    name: str
    start_year: int
    baseline: float
    staff_savings: float  # total over the years it covers
    other_savings: float
    set_up_cost: float | None
    cumulative_to_march_2012: float | None
    years_covered: int = 2

    def case(self) -> Case:
        years = 2
        per_year = 1 / self.years_covered
        lines = []
        if self.set_up_cost is not None:
            lines.append(Line("Set-up", ONE_OFF_COST, (self.set_up_cost, 0.0), category="other"))
        for label, total in (("staff", self.staff_savings), ("other", self.other_savings)):
            lines.append(Line(f"{label.capitalize()} savings", SAVING, (total * per_year,) * years, category=label))
        return Case(start_year=self.start_year, years=years, lines=tuple(lines))


LGA_2012: Final = (
    StudyCase("Devon and Somerset Fire and Rescue", 2007, 67_200_000, 734_000, 637_000, 966_000, 5_140_000),
    StudyCase("Hoople Ltd (Herefordshire)", 2011, 11_500_000, 620_000, 0, 800_000, 620_000, years_covered=1),
    StudyCase(
        "LGSS (Cambridgeshire and Northamptonshire)", 2010, 83_000_000, 1_060_000, 2_730_000, 3_320_000, 3_790_000
    ),
    StudyCase("Procurement Lincolnshire", 2008, 600_000, 0, 5_140_000, 148_000, 10_400_000),
    StudyCase("Vale of White Horse and South Oxfordshire", 2007, 19_900_000, 2_830_000, 2_120_000, None, None),
)
