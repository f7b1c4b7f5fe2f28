"""Replica plans (kairos/plan.h) and their cost (kairos/cost.h)."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Sequence, Union

import numpy as np

from . import capi as _c
from ._core import ArrayLike, Duration, Forecast, _invalid, forecast, parse_duration

__all__ = ["Plan", "CostReport", "plan", "cost", "parse_quantity", "PLAN_LEVELS"]

#: The quantile grid ``kairos plan`` forecasts before planning (the level planned on is added).
PLAN_LEVELS = (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)

_TOTALS = ("replica_hours", "peak_replicas", "peak_step", "shortfall_replica_minutes",
           "max_p_shortfall", "mean_p_shortfall", "planned_level", "level_extrapolated",
           "lead_steps", "stabilization_steps", "hours")
_REPORT = ("replica_hourly", "horizon_hours", "replica_hours", "mean_replicas", "peak_replicas",
           "plan_horizon", "plan_month", "peak_month", "current_month", "delta_vs_current",
           "delta_vs_peak", "savings_vs_current", "savings_vs_peak")


def parse_quantity(text: Union[str, float, int]) -> float:
    """A Kubernetes quantity as a number: ``"500m"`` → 0.5, ``"512Mi"`` → 536870912.
    Numbers pass through. Raises KairosParseError / KairosRangeError."""
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text)
    return float(_c.kpy_quantity_parse(str(text)))


@dataclass
class Plan:
    """A replica plan: per step the ``replicas``, the ``demand`` planned for and the
    probability of a shortfall ``p_shortfall``; ``totals`` as kairos_plan_totals (peak_step
    counts from 0 here, as in C); ``step_s`` the step in seconds."""
    replicas: np.ndarray
    demand: np.ndarray
    p_shortfall: np.ndarray
    totals: Dict[str, Any]
    step_s: int
    timestamps: Optional[np.ndarray] = None
    forecast: Optional[Forecast] = field(default=None, repr=False)
    #: the planner options the plan was made with (kairos.keda.scaled_object passes them on)
    options: Dict[str, Any] = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        return int(self.replicas.shape[0])

    def to_pandas(self) -> Any:
        """DataFrame with demand, replicas, p_shortfall indexed by timestamp or step."""
        import pandas as pd
        index: Any
        if self.timestamps is not None:
            index = pd.DatetimeIndex(self.timestamps, name="timestamp").tz_localize("UTC")
        else:
            index = pd.RangeIndex(1, self.horizon + 1, name="step")
        return pd.DataFrame({"demand": self.demand, "replicas": self.replicas,
                             "p_shortfall": self.p_shortfall}, index=index)


def _planned_level(quantile: Optional[float], risk: Optional[float]) -> float:
    if quantile is not None and risk is not None:
        raise _invalid("give quantile or risk, not both")
    return quantile if quantile is not None else (1.0 - risk if risk is not None else 0.0)


def _with_level(want: float) -> list:
    """PLAN_LEVELS with the planned level put in order, as ``kairos plan`` does."""
    out, placed = [], want == 0
    for lv in PLAN_LEVELS:
        if not placed and want <= lv:
            if abs(want - lv) > 1e-9:
                out.append(want)
            placed = True
        out.append(lv)
    if not placed:
        out.append(want)
    return out


def plan(source: Union[Forecast, ArrayLike], *, target_per_replica: float,
         headroom: float = 1.0, quantile: Optional[float] = None, risk: Optional[float] = None,
         min_replicas: int = 1, max_replicas: int = 100, max_up_factor: float = 2.0,
         max_down: float = 0.5, stabilization: Duration = 0, lead_time: Duration = 0,
         current: Optional[int] = None, step_s: Optional[int] = None,
         **forecast_options: Any) -> Plan:
    """Plan replicas per step (``kairos_plan_replicas``; formulas in docs/planning.md).

    ``source`` is a Forecast, or a history: then it is forecast first exactly as
    ``kairos plan`` does (``horizon=`` and the other forecast() options go in
    ``forecast_options``; the quantile grid PLAN_LEVELS plus the planned level), so the result
    equals the CLI's. ``step_s`` defaults to the forecast's step, or 3600 when it has none.
    ``stabilization`` and ``lead_time`` are seconds or durations like ``"15m"``.

    Raises KairosInvalidArgument for bad options, KairosDataError for non-finite forecasts.
    """
    level = _planned_level(quantile, risk)
    if isinstance(source, Forecast):
        if forecast_options:
            raise TypeError("forecast options only apply when planning from a history")
        fc = source
    else:
        fc = forecast(source, quantiles=_with_level(level), **forecast_options)
    step = int(step_s if step_s is not None else (fc.step_s or 3600))
    opts = np.array([target_per_replica, headroom, quantile or 0.0, risk or 0.0, min_replicas,
                     max_replicas, max_up_factor, max_down, parse_duration(stabilization),
                     parse_duration(lead_time), current or 0], dtype=np.float64)
    for name, x in (("min_replicas", min_replicas), ("max_replicas", max_replicas),
                    ("current", current or 0)):
        if int(x) != x or x < 0:
            raise _invalid(f"{name} must be a whole number >= 0")
    h = fc.horizon
    replicas = np.empty(h, dtype=np.int64)
    demand = np.empty(h, dtype=np.float64)
    p_short = np.empty(h, dtype=np.float64)
    totals = np.empty(len(_TOTALS), dtype=np.float64)
    q = np.ascontiguousarray(fc.quantiles, dtype=np.float64).reshape(-1)
    _c.kpy_plan(np.ascontiguousarray(fc.mean), np.ascontiguousarray(fc.quantile_levels), q, step,
                opts, replicas, demand, p_short, totals)
    tot: Dict[str, Any] = dict(zip(_TOTALS, totals.tolist()))
    for key in ("peak_replicas", "peak_step", "lead_steps", "stabilization_steps"):
        tot[key] = int(tot[key])
    tot["level_extrapolated"] = bool(tot["level_extrapolated"])
    if math.isnan(tot["planned_level"]):
        tot["planned_level"] = None
    options = {"target_per_replica": float(target_per_replica), "headroom": float(headroom),
               "quantile": quantile, "risk": risk, "min_replicas": int(min_replicas),
               "max_replicas": int(max_replicas), "max_up_factor": float(max_up_factor),
               "max_down": float(max_down), "stabilization_s": parse_duration(stabilization),
               "lead_time_s": parse_duration(lead_time), "current": current}
    return Plan(replicas, demand, p_short, tot, step, fc.timestamps, fc, options)


@dataclass
class CostReport:
    """What a plan costs (kairos_cost_report), in ``currency``. Unknown figures (no
    ``current``) are None."""
    currency: str
    replica_hourly: float
    horizon_hours: float
    replica_hours: float
    mean_replicas: float
    peak_replicas: int
    plan_horizon: float
    plan_month: float
    peak_month: float
    current_month: Optional[float]
    delta_vs_current: Optional[float]
    delta_vs_peak: float
    savings_vs_current: Optional[float]
    savings_vs_peak: float
    current_replicas: Optional[int] = None

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


def cost(replicas: Union[Plan, int, Sequence[int], np.ndarray], *, cpu: Union[str, float],
         memory: Union[str, float], step_s: Optional[int] = None, current: Optional[int] = None,
         cpu_price: float = 0.04, memory_price: float = 0.005, hours_per_month: float = 730.0,
         spot_share: float = 0.0, spot_discount: float = 0.0, spot_cpu_price: float = 0.0,
         spot_memory_price: float = 0.0, currency: str = "USD") -> CostReport:
    """Price a plan, a replica schedule or a constant replica count per month
    (``kairos_cost_plan``; formulas in docs/cost.md), as ``kairos cost`` does.

    ``cpu`` (cores) and ``memory`` (bytes) are per replica and accept Kubernetes quantities
    (``"500m"``, ``"1Gi"``). An int is a one-hour plan of that many replicas; a sequence is
    priced at ``step_s`` (default 3600; a Plan brings its own step). ``current`` is the replica
    count running now (for the deltas). The reference: ``cost(3, cpu="500m", memory="1Gi")``
    has plan_month 54.75.
    """
    if isinstance(replicas, Plan):
        step = int(step_s or replicas.step_s)
        r = np.ascontiguousarray(replicas.replicas, dtype=np.int64)
    elif isinstance(replicas, (int, np.integer)):
        step = int(step_s or 3600)
        r = np.array([int(replicas)], dtype=np.int64)
    else:
        step = int(step_s or 3600)
        arr = np.asarray(replicas)
        if arr.ndim != 1 or (arr.dtype.kind == "f" and not np.all(arr == np.round(arr))):
            raise _invalid("replicas must be whole numbers, one per step")
        r = np.ascontiguousarray(arr, dtype=np.int64)
    model = np.array([cpu_price, memory_price, hours_per_month, spot_share, spot_discount,
                      spot_cpu_price, spot_memory_price], dtype=np.float64)
    out = np.empty(len(_REPORT), dtype=np.float64)
    if current is not None and (int(current) != current or current < 0):
        raise _invalid("current must be a whole number >= 0")
    _c.kpy_cost_plan(r, step, int(current or 0), parse_quantity(cpu), parse_quantity(memory),
                     model, out)
    vals: Dict[str, Any] = dict(zip(_REPORT, out.tolist()))
    vals["peak_replicas"] = int(vals["peak_replicas"])
    for key in ("current_month", "delta_vs_current", "savings_vs_current"):
        if math.isnan(vals[key]):
            vals[key] = None
    return CostReport(currency=currency, current_replicas=current, **vals)
