"""Every reference declaration, in the order they must run."""

from reference.core import Declaration


def all_declarations() -> list[Declaration]:
    from evidence.importers import DECLARATIONS as EVIDENCE
    from indicators.importers import DECLARATIONS as INDICATORS
    from organisations.importers import DECLARATIONS as ORGANISATIONS
    from services.importers import DECLARATIONS as SERVICES

    return [*ORGANISATIONS, *INDICATORS, *SERVICES, *EVIDENCE]
