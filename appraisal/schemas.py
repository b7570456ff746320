"""The appraisal API's request and response, as the OpenAPI document shows them.

Shapes only: what a value may be beyond its type (amounts one a year, low ≤ likely ≤
high, years 1 to 60, shares summing to 100) is checked by the engine, which names the
field, so the page and the API refuse the same things with the same words.
"""

from typing import Literal

from ninja import Field, Schema

Money = float


class AppraisalLineIn(Schema):
    name: str = Field(..., description="What the line is, e.g. 'ICT and data migration'")
    kind: Literal["one_off_cost", "running_cost", "saving"]
    category: str = Field(
        "", description="A label: for one-off costs e.g. ict_data_migration; for savings staff or other"
    )
    amounts: list[float] = Field(..., description="Pounds in each year from year 0, one a year, zero or more")
    low: list[float] | None = Field(
        None, description="The low value in each year, for the risk analysis (default: amounts)"
    )
    high: list[float] | None = Field(None, description="The high value in each year (default: amounts)")


class OptimismBiasIn(Schema):
    costs_pct: float | None = Field(None, description="Percentage uplift of every cost")
    savings_pct: float | None = Field(None, description="Percentage cut of every saving")
    delay_years: float | None = Field(None, description="Years (may be fractional) by which every saving slips")
    reason: str = Field("", description="Why these figures: recorded with each adjustment")
    project_type: str | None = Field(
        None,
        description="Instead of costs_pct and delay_years, the Green Book supplementary guidance's upper bounds "
        "for this project type: standard_buildings, non_standard_buildings, standard_civil_engineering, "
        "non_standard_civil_engineering, equipment_development, outsourcing",
    )
    mitigation: float = Field(0, description="With project_type: the mitigation factor, 0 to 1")
    implementation_years: float = Field(
        1, description="With project_type: the implementation time the duration bound applies to"
    )


class RiskIn(Schema):
    draws: int = Field(10_000, description="Monte Carlo trials, 1 to 1,000,000")
    seed: int | None = Field(None, description="Seed for numpy.random.default_rng; chosen and reported when omitted")
    distribution: Literal["triangular", "pert"] = "triangular"
    savings_correlation: float = Field(0, description="Correlation between every pair of savings lines, 0 to 1")


class AppraisalPartnerIn(Schema):
    code: str
    population: float | None = None
    baseline: float | None = Field(None, description="The partner's baseline spend on the service, in pounds")
    usage: float | None = Field(None, description="The partner's use of the service, in any unit")
    standalone_cost: float | None = Field(
        None, description="What the partner would pay to provide the service alone over the period (undiscounted)"
    )


class CoalitionIn(Schema):
    members: list[str]
    cost: float


class SplitIn(Schema):
    method: Literal["equal", "population", "baseline", "usage", "custom", "shapley"]
    shares: dict[str, float] | None = Field(None, description="For custom: percentages by partner code, summing to 100")
    coalition_costs: list[CoalitionIn] = Field(
        default_factory=list, description="For shapley: known costs of groups of partners over the period"
    )
    shared_fraction: float | None = Field(
        None, description="For shapley: θ of the economies-of-scale model (0 to 1); calibrated from the case if omitted"
    )
    permutations: int = Field(10_000, description="For shapley with more than 12 partners: random orders sampled")
    seed: int = Field(0, description="Seed of the sampled orders")


class AppraisalIn(Schema):
    start_year: int = Field(..., description="Calendar year in which the first financial year (year 0) starts")
    years: int = Field(10, description="Years in the appraisal, 1 to 60")
    discount: Literal["standard", "health"] = "standard"
    lines: list[AppraisalLineIn]
    optimism_bias: OptimismBiasIn | None = None
    risk: RiskIn | None = None
    partners: list[AppraisalPartnerIn] = Field(default_factory=list)
    split: SplitIn | None = None


class DiscountScheduleOut(Schema):
    name: str
    version: str
    dated: str
    source: str


class FlowOut(Schema):
    year: int
    financial_year: str
    costs: Money
    savings: Money
    net: Money
    discount_factor: float
    present_value: Money
    cumulative_present_value: Money


class SwitchingValuesOut(Schema):
    savings_pct: float | None
    costs_pct: float | None
    delay_years: float | None


class AdjustmentOut(Schema):
    target: Literal["one_off_costs", "running_costs", "savings", "savings_delay"]
    amount: float
    unit: Literal["percent", "years"]
    reason: str
    source: str


class OptimismBiasOut(Schema):
    adjustments: list[AdjustmentOut]


class SCurvePointOut(Schema):
    probability: float
    npv: Money


class TornadoBarOut(Schema):
    line: int
    name: str
    low_npv: Money
    high_npv: Money
    low_effect: Money
    high_effect: Money


class RiskOut(Schema):
    draws: int
    seed: int
    distribution: Literal["triangular", "pert"]
    savings_correlation: float
    mean: Money
    p10: Money
    p50: Money
    p90: Money
    prob_negative: float
    prob_no_payback: float
    s_curve: list[SCurvePointOut]
    tornado: list[TornadoBarOut]


class PartnerSplitOut(Schema):
    code: str
    share: float
    costs: int
    savings: int
    net: int
    npv: int
    payback_years: float | None
    worse_off_than_alone: bool
    gain_over_alone: int | None
    much_less_than_proportional: bool | None


class SplitDetailsOut(Schema):
    method: Literal["equal", "population", "baseline", "usage", "custom", "shapley"]
    in_core: bool | None
    exact: bool | None
    permutations: int | None
    shared_fraction: float | None
    coalitions_estimated: int | None
    notes: list[str]


class AppraisalOut(Schema):
    npv: Money
    pv_costs: Money
    pv_savings: Money
    bcr: float | None
    vfm_band: Literal["Poor", "Low", "Medium", "High", "Very high"] | None
    payback_years: float | None
    discounted_payback_years: float | None
    flows: list[FlowOut]
    switching_values: SwitchingValuesOut
    discount_schedule: DiscountScheduleOut
    optimism_bias: OptimismBiasOut | None
    risk: RiskOut | None
    split: list[PartnerSplitOut] | None
    split_details: SplitDetailsOut | None
    notes: list[str]


# --- The stored business case of an arrangement: GET/PUT /api/v1/arrangements/{id}/business-case ---


class AdjustmentIn(Schema):
    target: Literal["one_off_costs", "running_costs", "savings", "savings_delay"]
    amount: float
    reason: str = Field(..., description="Why: every adjustment is shown with its reason")
    source: str = ""


class CaseOptimismBiasIn(Schema):
    project_type: str = Field(
        ...,
        description="The Green Book supplementary guidance's project type whose upper bounds the figures start from: "
        "standard_buildings, non_standard_buildings, standard_civil_engineering, non_standard_civil_engineering, "
        "equipment_development, outsourcing",
    )
    one_off_costs_pct: float | None = Field(None, description="Uplift of one-off costs, % (omitted: the upper bound)")
    running_costs_pct: float | None = Field(None, description="Uplift of running costs, % (omitted: the upper bound)")
    delay_years: float | None = Field(None, description="Delay of savings in years (omitted: the duration bound)")
    mitigation: float = Field(0, description="Mitigation factor, 0 to 1: each figure is reduced by this share")
    mitigation_reason: str = Field("", description="What manages the causes of optimism (needed with a mitigation)")
    reason: str = Field("", description="Why the figures differ from the upper bounds (needed when they do)")
    savings_from_register: bool = Field(
        True,
        description="Cut savings by the register's reference class: the median ratio of signed-off achieved to "
        "expected savings among comparable arrangements (same category, else same delivery model), when 5 or "
        "more qualify; otherwise savings_pct",
    )
    savings_pct: float = Field(0, description="Cut of savings, %: as entered, or the fallback with the register")
    savings_reason: str = Field("", description="Why this cut")
    extra: list[AdjustmentIn] = Field(default_factory=list, description="Further adjustments, each with its reason")


class CaseRiskIn(Schema):
    draws: int = Field(10_000, description="Monte Carlo trials, 1 to 1,000,000")
    seed: int = Field(1, description="Seed for numpy.random.default_rng: a stored case is always reproducible")
    distribution: Literal["triangular", "pert"] = "triangular"
    savings_correlation: float = Field(0, description="Correlation between every pair of savings lines, 0 to 1")


class CaseSplitIn(Schema):
    method: Literal["", "equal", "population", "baseline", "usage", "custom", "shapley"] = Field(
        "", description="How costs and savings are shared between the partners ('' for no split)"
    )
    shares: dict[str, float] | None = Field(None, description="For custom: percentages by partner code, summing to 100")
    coalition_costs: list[CoalitionIn] = Field(
        default_factory=list, description="For shapley: known costs of groups of partners over the period"
    )


class BusinessCaseIn(Schema):
    start_year: int = Field(..., description="Calendar year in which the first financial year (year 0) starts")
    years: int = Field(10, description="Years in the appraisal, 1 to 60")
    discount: Literal["standard", "health"] = "standard"
    lines: list[AppraisalLineIn]
    optimism_bias: CaseOptimismBiasIn
    risk: CaseRiskIn = Field(default_factory=CaseRiskIn)
    split: CaseSplitIn = Field(default_factory=CaseSplitIn)
    partners: list[AppraisalPartnerIn] = Field(
        default_factory=list,
        description="One per current partner, by organisation code: each partner's own baseline (its annual cost "
        "of the service before sharing) and split inputs, changed only by that partner's editors or a moderator",
    )


class RealityCheckOut(Schema):
    claimed_pct: float | None = Field(..., description="The case's savings a year as a % of its baseline")
    percentile: float | None
    count: int
    basis: str
    median_pct: float | None
    warning: str | None
    sentence: str
    note: str = Field(..., description="What it was compared with: the register, or the published reference points")


class CaseProblemOut(Schema):
    field: str
    code: str
    message: str


class BusinessCaseOut(Schema):
    arrangement: int
    shared: bool = Field(..., description="False while a draft, seen only by the partners' members and moderators")
    version: int = Field(..., description="The latest shared version; 0 while a draft")
    shared_at: str | None
    updated_at: str
    inputs: BusinessCaseIn
    results: AppraisalOut | None = Field(..., description="Null when the stored inputs no longer check out")
    reality_check: RealityCheckOut | None
    problems: list[CaseProblemOut] = Field(..., description="Why the stored inputs cannot be appraised now")
