"""A fair split of a case between its partners: by simple shares, or by the Shapley value of a cost game.

Every method gives each partner one share, and that share is applied to every line of the
case, costs and savings alike, year by year. `equal`, `population`, `baseline` and `usage`
share in proportion to what each partner entered; `custom` takes percentages that sum to
100. `shapley` takes each partner's share of the shared service's cost (the case's one-off
and running costs over the period, undiscounted) from the Shapley value of a cost game, so
for Shapley a partner's `costs` is its Shapley cost.

The cost game. c(S) is what the partners in S would pay to provide the service together
over the period, in the same terms as the case's costs. c({i}) is partner i's stand-alone
cost (entered, or a one-partner coalition entered); c(all) is the case's own costs, since
the case is the plan of all of them together. Any other coalition's cost is taken as
entered where it is known, and otherwise estimated by this economies-of-scale model:

    c(S) = (1 − θ) × Σ_{i in S} s_i + θ × max_{i in S} s_i

A share θ of each stand-alone cost s_i is capacity a group needs only once, sized for its
largest member (a management team, a system, a building); the rest grows with the work.
That is the "airport game" of Littlechild and Owen: its Shapley value charges each partner
a share of the capacity segments it uses, never more than its stand-alone cost and never
below (1 − θ) s_i, and it is always in the core (when every cost comes from the model and θ
needed no clamping; entered costs can make any split fall outside the core). θ is calibrated from the case itself, so
the model gives c(all) exactly: θ = (Σ s − c(all)) / (Σ s − max s), kept within 0 to 1
(said in the notes when it had to be), unless θ is entered. A count-based model such as
c(S) = (Σ s) |S|^(−e) was rejected: a small partner joining a large one "causes" the whole
discount on the large partner's cost, so its Shapley share can be negative.

Shapley values are exact up to `EXACT_LIMIT` partners (every coalition, 4,096 at 12) and
estimated from seeded random orders beyond; each order's shares sum to c(all), so the
estimate is still exactly efficient. The split is in the core when no group of partners
would pay less on its own (checked over every coalition up to `EXACT_LIMIT` partners; beyond,
over the stand-alone and entered coalitions only, so `in_core` is False or None).

Amounts in a split are whole pounds: `costs`, `savings` and `net` are undiscounted totals
over the period and `npv` is discounted, each apportioned by largest remainder so the
partners' figures sum exactly to the case's (rounded) totals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from engines.appraisal.case import Case, InvalidCase, Problem, check, payback

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

Method = Literal["equal", "population", "baseline", "usage", "custom", "shapley"]
METHODS: Final[tuple[Method, ...]] = ("equal", "population", "baseline", "usage", "custom", "shapley")

EXACT_LIMIT: Final = 12
MAX_PARTNERS: Final = 60  # coalitions are bit masks in 64-bit integers
DEFAULT_PERMUTATIONS: Final = 10_000
MAX_PERMUTATIONS: Final = 1_000_000
# A partner whose gain from sharing is below this share of its proportional gain is flagged.
MUCH_LESS: Final = 0.5


@dataclass(frozen=True, slots=True)
class Partner:
    code: str
    population: float | None = None
    baseline: float | None = None
    usage: float | None = None
    standalone_cost: float | None = None


@dataclass(frozen=True, slots=True)
class Coalition:
    members: tuple[str, ...]
    cost: float


@dataclass(frozen=True, slots=True)
class SplitSettings:
    method: Method = "equal"
    shares: Mapping[str, float] | None = None  # percentages by partner code, for `custom`
    coalition_costs: tuple[Coalition, ...] = ()
    shared_fraction: float | None = None  # θ of the economies-of-scale model; None calibrates it
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = 0


@dataclass(frozen=True, slots=True)
class PartnerSplit:
    code: str
    share: float
    costs: int
    savings: int
    net: int
    npv: int
    payback_years: float | None
    worse_off_than_alone: bool
    # Stand-alone cost minus the partner's costs here, where a stand-alone cost is known.
    gain_over_alone: int | None
    much_less_than_proportional: bool | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "share": self.share,
            "costs": self.costs,
            "savings": self.savings,
            "net": self.net,
            "npv": self.npv,
            "payback_years": self.payback_years,
            "worse_off_than_alone": self.worse_off_than_alone,
            "gain_over_alone": self.gain_over_alone,
            "much_less_than_proportional": self.much_less_than_proportional,
        }


@dataclass(frozen=True, slots=True)
class SplitResult:
    method: Method
    partners: tuple[PartnerSplit, ...]
    in_core: bool | None
    exact: bool | None  # for Shapley: every coalition counted, or sampled orders
    permutations: int | None
    shared_fraction: float | None
    coalitions_estimated: int | None
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "in_core": self.in_core,
            "exact": self.exact,
            "permutations": self.permutations,
            "shared_fraction": self.shared_fraction,
            "coalitions_estimated": self.coalitions_estimated,
            "notes": list(self.notes),
        }


# --- Whole pounds ----------------------------------------------------------------------


def apportion(amount: int, weights: Sequence[float]) -> list[int]:
    """`amount` in proportion to `weights`, in whole pounds that sum exactly to it.

    Largest remainder, in exact fractions (a float weight is a binary fraction): each share
    is floored and the pounds left over go to the largest remainders, ties to the earlier.
    Weights may be negative (a Shapley cost share can be) but must not sum to zero.
    """
    exact = [Fraction(w) for w in weights]
    total = sum(exact, Fraction(0))
    if total == 0:
        raise ValueError("Weights that sum to zero cannot share anything")
    quotas = [amount * w / total for w in exact]
    floors = [math.floor(q) for q in quotas]
    left = amount - sum(floors)  # 0 ≤ left < len(weights), since the quotas sum to `amount`
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


# --- The Shapley value -----------------------------------------------------------------


def shapley_exact(costs: FloatArray) -> FloatArray:
    """Shapley values of the game whose coalition with bit mask m costs `costs[m]` (`costs[0]` is 0)."""
    n = int(round(math.log2(len(costs))))
    if len(costs) != 1 << n:
        raise ValueError("A game of n players has 2^n coalition costs")
    masks = np.arange(len(costs), dtype=np.int64)
    sizes = np.zeros(len(costs), dtype=np.int64)
    for i in range(n):
        sizes += (masks >> i) & 1
    # Weight of joining a coalition of size k that lacks the player: k! (n − k − 1)! / n!
    weight = np.array([math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)])
    values = np.empty(n, dtype=np.float64)
    for i in range(n):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        values[i] = float(np.sum(weight[sizes[without]] * (costs[without | bit] - costs[without])))
    return values


@dataclass(frozen=True, slots=True)
class CostGame:
    """Coalition costs: entered where known, else the economies-of-scale model above."""

    standalone: FloatArray  # c({i}) for each partner
    grand: float  # c(all): the case's costs
    shared_fraction: float  # θ
    entered: Mapping[int, float]  # bit mask → cost, singletons and the grand coalition excluded

    @property
    def size(self) -> int:
        return len(self.standalone)

    def model(self, sums: FloatArray, largest: FloatArray) -> FloatArray:
        return np.asarray((1 - self.shared_fraction) * sums + self.shared_fraction * largest, dtype=np.float64)

    def all_costs(self) -> FloatArray:
        """c(m) for every bit mask m, for up to `EXACT_LIMIT` partners."""
        n = self.size
        sums = np.zeros(1 << n, dtype=np.float64)
        largest = np.zeros(1 << n, dtype=np.float64)
        for i in range(n):
            block = 1 << i
            sums[block : 2 * block] = sums[:block] + self.standalone[i]
            largest[block : 2 * block] = np.maximum(largest[:block], self.standalone[i])
        costs = self.model(sums, largest)
        costs[0] = 0.0
        for i in range(n):
            costs[1 << i] = self.standalone[i]
        for mask, cost in self.entered.items():
            costs[mask] = cost
        costs[(1 << n) - 1] = self.grand
        return costs

    def sampled_shapley(self, permutations: int, seed: int) -> FloatArray:
        """Shapley values estimated from `permutations` random orders of joining."""
        n = self.size
        rng = np.random.default_rng(seed)
        order = np.argsort(rng.random((permutations, n)), axis=1)
        joining = self.standalone[order]
        costs = self.model(np.cumsum(joining, axis=1), np.maximum.accumulate(joining, axis=1))
        costs[:, 0] = joining[:, 0]
        if self.entered:
            masks = np.bitwise_or.accumulate(np.left_shift(np.int64(1), order.astype(np.int64)), axis=1)
            for mask, cost in self.entered.items():
                costs[masks == mask] = cost
        costs[:, -1] = self.grand
        marginal = np.diff(costs, axis=1, prepend=0.0)
        by_partner = np.take_along_axis(marginal, np.argsort(order, axis=1), axis=1)
        return np.asarray(by_partner.mean(axis=0), dtype=np.float64)

    def known(self) -> dict[int, float]:
        """The coalitions whose cost is given rather than modelled."""
        known = {1 << i: float(s) for i, s in enumerate(self.standalone)}
        known.update(self.entered)
        known[(1 << self.size) - 1] = self.grand
        return known


def in_core(allocation: FloatArray, costs: Mapping[int, float] | FloatArray, tolerance: float = 0.5) -> bool:
    """Whether no coalition pays more than it would on its own (within `tolerance` pounds).

    `costs` is every coalition's cost by bit mask (an array), or some of them (a mapping).
    """
    items = enumerate(costs.tolist()) if isinstance(costs, np.ndarray) else costs.items()
    for mask, cost in items:
        if mask == 0:
            continue
        members = [i for i in range(len(allocation)) if mask >> i & 1]
        if float(allocation[members].sum()) > cost + tolerance:
            return False
    return True


# --- Checking the inputs ---------------------------------------------------------------


def problems(partners: Sequence[Partner], settings: SplitSettings, case_costs: float) -> list[Problem]:
    found: list[Problem] = []
    if settings.method not in METHODS:
        return [Problem("split.method", "invalid", f"Choose one of {', '.join(METHODS)}")]
    if not partners:
        return [Problem("partners", "required", "Name the partners to split the case between")]
    if len(partners) > MAX_PARTNERS:
        return [Problem("partners", "too_many", f"A split has at most {MAX_PARTNERS} partners")]
    seen: set[str] = set()
    for i, partner in enumerate(partners):
        if not partner.code.strip():
            found.append(Problem(f"partners[{i}].code", "required", "Each partner needs a code"))
        elif partner.code in seen:
            found.append(Problem(f"partners[{i}].code", "duplicate", f"{partner.code} is listed twice"))
        seen.add(partner.code)
        for name in ("population", "baseline", "usage", "standalone_cost"):
            value = getattr(partner, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                found.append(Problem(f"partners[{i}].{name}", "invalid", f"{partner.code}: {name} is zero or more"))
    if found:
        return found
    method = settings.method
    if method in ("population", "baseline", "usage"):
        missing = [i for i, p in enumerate(partners) if getattr(p, method) is None]
        for i in missing:
            found.append(
                Problem(
                    f"partners[{i}].{method}", "required", f"{partners[i].code}: a {method} split needs its {method}"
                )
            )
        if not missing and not any(getattr(p, method) for p in partners):
            found.append(
                Problem(f"partners[0].{method}", "all_zero", f"Every partner's {method} is 0: nothing to share by")
            )
    elif method == "custom":
        shares = settings.shares or {}
        codes = {p.code for p in partners}
        if set(shares) != codes:
            unknown, absent = sorted(set(shares) - codes), sorted(codes - set(shares))
            said = ([f"not partners: {', '.join(unknown)}"] if unknown else []) + (
                [f"missing: {', '.join(absent)}"] if absent else []
            )
            found.append(
                Problem("split.shares", "partners", "Give one share for each partner (" + "; ".join(said) + ")")
            )
        elif not all(math.isfinite(v) and v >= 0 for v in shares.values()):
            found.append(Problem("split.shares", "invalid", "Shares are percentages, zero or more"))
        elif abs(sum(shares.values()) - 100) > 0.01:
            found.append(
                Problem("split.shares", "not_100", f"The shares add up to {sum(shares.values()):g}%, not 100%")
            )
    elif method == "shapley":
        found += _game_problems(partners, settings, case_costs)
    return found


def _game_problems(partners: Sequence[Partner], settings: SplitSettings, case_costs: float) -> list[Problem]:
    found: list[Problem] = []
    if case_costs <= 0:
        found.append(Problem("split.method", "no_costs", "The case has no costs for a Shapley split to share"))
    codes = {p.code for p in partners}
    singletons: set[str] = set()
    for i, coalition in enumerate(settings.coalition_costs):
        where = f"split.coalition_costs[{i}]"
        unknown = sorted(set(coalition.members) - codes)
        if not coalition.members:
            found.append(Problem(f"{where}.members", "required", "A coalition has at least one member"))
        elif unknown:
            found.append(Problem(f"{where}.members", "unknown", f"Not partners: {', '.join(unknown)}"))
        elif len(set(coalition.members)) != len(coalition.members):
            found.append(Problem(f"{where}.members", "duplicate", "A partner is listed twice"))
        if not math.isfinite(coalition.cost) or coalition.cost < 0:
            found.append(Problem(f"{where}.cost", "invalid", "A coalition's cost is zero or more"))
        elif set(coalition.members) == codes and abs(coalition.cost - case_costs) > 1:
            found.append(
                Problem(
                    f"{where}.cost",
                    "not_the_case",
                    f"All the partners together cost what the case costs (£{case_costs:,.0f}); leave this one out",
                )  # fmt: skip
            )
        if len(set(coalition.members)) == 1:
            singletons |= set(coalition.members)
    for i, partner in enumerate(partners):
        if partner.standalone_cost is None and partner.code not in singletons:
            found.append(
                Problem(
                    f"partners[{i}].standalone_cost",
                    "required",
                    f"{partner.code}: a Shapley split needs each partner's stand-alone cost",
                )  # fmt: skip
            )
    if settings.shared_fraction is not None and not 0 <= settings.shared_fraction <= 1:
        found.append(Problem("split.shared_fraction", "out_of_range", "The shared fraction is between 0 and 1"))
    if len(partners) > EXACT_LIMIT and not 100 <= settings.permutations <= MAX_PERMUTATIONS:
        found.append(
            Problem("split.permutations", "out_of_range", f"Sample between 100 and {MAX_PERMUTATIONS:,} orders")
        )
    return found


# --- Splitting -------------------------------------------------------------------------


def game(partners: Sequence[Partner], settings: SplitSettings, grand: float) -> tuple[CostGame, list[str]]:
    """The cost game of `partners` (see the module docstring) and notes on how θ was set."""
    index = {p.code: i for i, p in enumerate(partners)}
    n = len(partners)
    entered: dict[int, float] = {}
    standalone = np.array([p.standalone_cost or 0.0 for p in partners], dtype=np.float64)
    for coalition in settings.coalition_costs:
        mask = sum(1 << index[code] for code in set(coalition.members))
        if len(set(coalition.members)) == 1:
            standalone[index[coalition.members[0]]] = coalition.cost
        elif mask != (1 << n) - 1:
            entered[mask] = coalition.cost
    notes: list[str] = []
    if settings.shared_fraction is not None:
        theta = settings.shared_fraction
        notes.append(f"Shared fraction θ = {theta:.3f}, as entered")
    else:
        total, largest = float(standalone.sum()), float(standalone.max(initial=0.0))
        raw = (total - grand) / (total - largest) if total > largest else 0.0
        theta = min(max(raw, 0.0), 1.0)
        notes.append(f"Shared fraction θ = {theta:.3f}, calibrated so the model gives the case's own costs")
        if raw < 0:
            notes.append(
                "Together the partners cost more than the sum of their stand-alone costs: no economies of scale"
            )
        elif raw > 1:
            notes.append("The case costs less than its largest partner alone would: more than shared capacity is saved")
    return CostGame(standalone, grand, theta, entered), notes


def _weights(partners: Sequence[Partner], settings: SplitSettings) -> list[float]:
    if settings.method == "equal":
        return [1.0] * len(partners)
    if settings.method == "custom":
        shares = settings.shares or {}
        return [float(shares[p.code]) for p in partners]
    return [float(getattr(p, settings.method)) for p in partners]


def split_case(case: Case, partners: Sequence[Partner], settings: SplitSettings | None = None) -> SplitResult:
    """Each partner's costs, savings, net and NPV under `settings.method` (see the module docstring)."""
    settings = settings or SplitSettings()
    check(case)
    costs, savings, factors = case.costs, case.savings, case.factors
    grand = float(costs.sum())
    found = problems(partners, settings, grand)
    if found:
        raise InvalidCase(found)

    notes: list[str] = []
    exact: bool | None = None
    permutations: int | None = None
    theta: float | None = None
    estimated: int | None = None
    cost_game: CostGame | None = None
    if settings.method == "shapley" or all(p.standalone_cost is not None for p in partners):
        cost_game, game_notes = game(partners, settings, grand)
    n = len(partners)
    if settings.method == "shapley":
        assert cost_game is not None
        notes += game_notes
        theta = cost_game.shared_fraction
        estimated = max((1 << n) - 1 - n - 1 - len(cost_game.entered), 0) if n > 1 else 0
        if n <= EXACT_LIMIT:
            values, exact = shapley_exact(cost_game.all_costs()), True
        else:
            values, exact = cost_game.sampled_shapley(settings.permutations, settings.seed), False
            permutations = settings.permutations
            notes.append(
                f"Shapley values estimated from {settings.permutations:,} random orders (seed {settings.seed})"
            )
        weights = (values / grand).tolist()
    else:
        weights = _weights(partners, settings)
    total_weight = sum(weights)
    shares = [w / total_weight for w in weights]

    allocation = np.array(shares, dtype=np.float64) * grand
    core: bool | None = None
    if cost_game is not None:
        if n <= EXACT_LIMIT:
            core = in_core(allocation, cost_game.all_costs())
        else:
            core = False if not in_core(allocation, cost_game.known()) else None
            if core is None:
                notes.append(f"Over {EXACT_LIMIT} partners, the core is checked on the known coalitions only")

    npv = float(savings @ factors - costs @ factors)
    by_costs = apportion(round(grand), weights)
    by_savings = apportion(round(float(savings.sum())), weights)
    by_npv = apportion(round(npv), weights)
    net = savings - costs
    standalone_total = float(cost_game.standalone.sum()) if cost_game is not None else 0.0
    gain_total = standalone_total - grand
    rows = []
    for i, partner in enumerate(partners):
        gain: int | None = None
        much_less: bool | None = None
        if cost_game is not None:
            alone = float(cost_game.standalone[i])
            gain = round(alone - float(allocation[i]))
            worse = float(allocation[i]) > alone + 0.5
            if gain_total > 0 and standalone_total > 0:
                much_less = alone - float(allocation[i]) < MUCH_LESS * gain_total * alone / standalone_total
        else:
            worse = by_npv[i] < 0
        rows.append(
            PartnerSplit(
                code=partner.code,
                share=shares[i],
                costs=by_costs[i],
                savings=by_savings[i],
                net=by_savings[i] - by_costs[i],
                npv=by_npv[i],
                payback_years=payback(shares[i] * net) if shares[i] else None,
                worse_off_than_alone=worse,
                gain_over_alone=gain,
                much_less_than_proportional=much_less,
            )
        )
    return SplitResult(settings.method, tuple(rows), core, exact, permutations, theta, estimated, tuple(notes))
