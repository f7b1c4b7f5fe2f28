"""kairos: predictive capacity planning — forecasts with predictive quantiles, backtests,
replica plans, their cost, and KEDA manifests — over the libkairos C library.

Quick start::

    import kairos
    h = kairos.read_csv("examples/data/web-requests.csv")
    fc = kairos.forecast(h, horizon=48, levels=[80, 95])
    p = kairos.plan(fc, target_per_replica=100, risk=0.1)
    print(kairos.cost(p, cpu="500m", memory="1Gi", current=4).plan_month)
    print(kairos.keda.scaled_object(p, name="api", mode="cron"))

Every C error becomes a :class:`KairosError` subclass carrying the library's message.
The GIL is released during C work, so threads forecast in parallel.
"""
from __future__ import annotations

from . import capi
from . import keda
from ._batch import forecast_batch
from ._core import (DEFAULT_QUANTILES, Forecast, History, Model, backtest, fit, forecast,
                    format_timestamp, levels_to_quantiles, parse_csv, parse_duration,
                    parse_timestamp, read_csv)
from ._errors import (KairosDataError, KairosError, KairosInvalidArgument, KairosIOError,
                      KairosModelError, KairosNotSupported, KairosOutOfMemory,
                      KairosParseError, KairosRangeError, KairosVersionError, error_class)
from ._plan import PLAN_LEVELS, CostReport, Plan, cost, parse_quantity, plan
from .keda import Finding, lint, scaled_object

__version__: str = capi.kairos_version_string()
"""Version of the bundled libkairos."""

__all__ = [
    "forecast", "fit", "forecast_batch", "backtest", "plan", "cost", "lint", "keda",
    "read_csv", "parse_csv", "History", "Forecast", "Model", "Plan", "CostReport", "Finding",
    "levels_to_quantiles", "parse_timestamp", "format_timestamp", "parse_duration",
    "parse_quantity", "DEFAULT_QUANTILES", "PLAN_LEVELS", "error_class",
    "KairosError", "KairosInvalidArgument", "KairosOutOfMemory", "KairosIOError",
    "KairosParseError", "KairosDataError", "KairosModelError", "KairosVersionError",
    "KairosRangeError", "KairosNotSupported", "__version__",
]
