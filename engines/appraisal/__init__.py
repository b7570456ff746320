"""The business case appraisal engine: Green Book discounting, optimism bias, risk and a fair split.

Plain Python and numpy, no Django. Build a `Case` of `Line`s, then:

- `appraise(case)`: NPV, PV of costs and savings, BCR and its value-for-money label,
  simple and discounted payback, yearly flows and switching values (`case.py`);
- `apply(case, bias)`: the case after optimism bias, each adjustment with its reason
  (`optimism.py`, with the guidance's upper bounds in `UPPER_BOUNDS`);
- `simulate(case, RiskSettings(...))`: a seeded Monte Carlo, P10/P50/P90, the chances of a
  negative NPV and of no payback, the S-curve and the tornado (`risk.py`);
- `split_case(case, partners, SplitSettings(...))`: each partner's costs, savings, net and NPV by
  simple shares or the Shapley value of a cost game (`split.py`).

The discount schedules are dated, versioned tables (`discounting.py`); every result carries
the one it used. Bad inputs raise `InvalidCase`, whose `problems` name the field as the
API's request does. `examples.LGA_2012` holds the LGA's 2012 study cases. The submodules
keep their names as attributes (`engines.appraisal.split` is the module, `split_case` its
entry point), so `from engines.appraisal import split` gets the module.
"""

from engines.appraisal.case import (
    KINDS,
    ONE_OFF_CATEGORIES,
    ONE_OFF_COST,
    RUNNING_COST,
    SAVING,
    SAVING_CATEGORIES,
    Appraisal,
    Case,
    Flow,
    InvalidCase,
    Line,
    Problem,
    SwitchingValues,
    appraise,
    delay,
    payback,
    vfm_band,
)
from engines.appraisal.discounting import HEALTH, SCHEDULES, STANDARD, Band, DiscountSchedule
from engines.appraisal.optimism import (
    UPPER_BOUNDS,
    Adjustment,
    OptimismBias,
    ReferenceClass,
    UpperBound,
    apply,
    from_guidance,
    savings_cut,
)
from engines.appraisal.risk import MAX_DRAWS, RiskResult, RiskSettings, TornadoBar, simulate
from engines.appraisal.split import (
    Coalition,
    CostGame,
    Partner,
    PartnerSplit,
    SplitResult,
    SplitSettings,
    apportion,
    shapley_exact,
    split_case,
)

__all__ = [
    "HEALTH",
    "KINDS",
    "MAX_DRAWS",
    "ONE_OFF_CATEGORIES",
    "ONE_OFF_COST",
    "RUNNING_COST",
    "SAVING",
    "SAVING_CATEGORIES",
    "SCHEDULES",
    "STANDARD",
    "UPPER_BOUNDS",
    "Adjustment",
    "Appraisal",
    "Band",
    "Case",
    "Coalition",
    "CostGame",
    "DiscountSchedule",
    "Flow",
    "InvalidCase",
    "Line",
    "OptimismBias",
    "Partner",
    "PartnerSplit",
    "Problem",
    "ReferenceClass",
    "RiskResult",
    "RiskSettings",
    "SplitResult",
    "SplitSettings",
    "SwitchingValues",
    "TornadoBar",
    "UpperBound",
    "apply",
    "apportion",
    "appraise",
    "delay",
    "from_guidance",
    "payback",
    "savings_cut",
    "shapley_exact",
    "simulate",
    "split_case",
    "vfm_band",
]
