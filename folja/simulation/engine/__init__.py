"""The simulation core: pure NumPy, no Django. Fitting reads the database in
`folja.simulation.selectors` and hands arrays to this package."""

from folja.simulation.engine.core import RunResult, simulate
from folja.simulation.engine.params import MODELS, CostParams, Population
from folja.simulation.engine.summary import differences, summarise, to_json

__all__ = [
    "MODELS",
    "CostParams",
    "Population",
    "RunResult",
    "differences",
    "simulate",
    "summarise",
    "to_json",
]
