"""KEDA: write a ScaledObject for a replica plan, and lint manifests (kairos/keda.h)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Union

import numpy as np

from . import capi as _c
from ._core import Duration, _invalid, _timestamp_array, parse_duration

__all__ = ["Finding", "lint", "scaled_object", "MODES"]

#: ScaledObject modes, in kairos_keda_mode order.
MODES = ("cron", "external", "prometheus", "cpu", "memory")


@dataclass(frozen=True)
class Finding:
    """One linter finding. ``rule`` ids are stable; ``document`` counts from 0 and ``line``
    from 1 (0 = unknown); ``severity`` is "info", "warning" or "error"."""
    rule: str
    severity: str
    document: int
    line: int
    kind: str
    name: str
    path: str
    message: str
    hint: str


def lint(text: Union[str, bytes]) -> List[Finding]:
    """Lint KEDA YAML (several documents allowed; ScaledObject, ScaledJob,
    TriggerAuthentication, ClusterTriggerAuthentication, HTTPScaledObject) and return the
    findings in document order. Raises KairosParseError when the text is not YAML."""
    doc = json.loads(_c.kpy_keda_lint(text))
    return [Finding(**f) for f in doc["findings"]]


def _opt(x: Optional[float], missing: float) -> float:
    return missing if x is None else float(x)


def _quantity(x: Union[str, float, None]) -> float:
    if x is None:
        return 0.0
    if isinstance(x, str):
        return float(_c.kpy_quantity_parse(x))
    return float(x)


def scaled_object(plan: Any, *, name: str, mode: str = "cron", namespace: Optional[str] = None,
                  target: Optional[str] = None, target_kind: Optional[str] = None,
                  timestamps: Any = None, step_s: Optional[int] = None,
                  min_replicas: Optional[int] = None, max_replicas: Optional[int] = None,
                  target_per_replica: Optional[float] = None, headroom: Optional[float] = None,
                  max_up_factor: Optional[float] = None, max_down: Optional[float] = None,
                  stabilization: Duration = None, timezone: Optional[str] = None,
                  max_windows: Optional[int] = None, scaler_address: Optional[str] = None,
                  metric: Optional[str] = None, external_push: bool = False,
                  prometheus_server: Optional[str] = None, query: Optional[str] = None,
                  threshold: Optional[float] = None,
                  activation_threshold: Optional[float] = None,
                  cpu_request: Union[str, float, None] = None,
                  memory_request: Union[str, float, None] = None, idle: Optional[int] = None,
                  fallback: Optional[int] = None, polling_interval: Duration = None,
                  cooldown: Duration = None, auth: Optional[str] = None,
                  cluster_auth: bool = False) -> str:
    """A KEDA ScaledObject (YAML) that carries a replica plan, as ``kairos keda`` writes it.

    ``plan`` is a kairos.Plan (its timestamps, step and planner options — target, headroom,
    min/max replicas, step limits, stabilization — are used unless given here) or a sequence
    of replica counts with ``timestamps`` and ``step_s``. Modes: cron (pre-scale windows;
    ``timezone``, ``max_windows``), external (``scaler_address``), prometheus
    (``prometheus_server``, ``query``, ``threshold`` or ``target_per_replica``/``headroom``),
    cpu and memory (``cpu_request``/``memory_request`` as quantities). See docs/keda.md.

    Raises KairosInvalidArgument (bad name, missing address or query, bad plan) and
    KairosRangeError (a plan too long for yearly cron expressions).
    """
    if mode not in MODES:
        raise _invalid(f"mode must be one of {', '.join(MODES)}, got '{mode}'")
    opts = dict(getattr(plan, "options", None) or {})
    planned_here = bool(opts)
    if hasattr(plan, "replicas"):
        replicas = np.ascontiguousarray(plan.replicas, dtype=np.int64)
        if timestamps is None and plan.timestamps is not None:
            timestamps = plan.timestamps
        step = int(step_s or plan.step_s)
    else:
        replicas = np.ascontiguousarray(np.asarray(plan), dtype=np.int64)
        step = int(step_s or 3600)
    ts = _timestamp_array(timestamps, replicas.size)
    if ts is None:
        if mode == "cron":
            raise _invalid("cron windows need the plan's timestamps")
        ts = np.arange(replicas.size, dtype=np.int64) * step   # reactive modes use the peak
    up = max_up_factor if max_up_factor is not None else (
        opts.get("max_up_factor") if planned_here else None)
    down = max_down if max_down is not None else (
        opts.get("max_down") if planned_here else None)
    stab: Optional[int] = (parse_duration(stabilization) if stabilization is not None
                           else (opts.get("stabilization_s") or None))
    numbers = np.array([
        MODES.index(mode),
        _opt(min_replicas if min_replicas is not None else opts.get("min_replicas"), 1),
        _opt(max_replicas if max_replicas is not None else opts.get("max_replicas"), 100),
        _opt(idle, -1), _opt(fallback, -1),
        -1 if polling_interval is None else parse_duration(polling_interval),
        -1 if cooldown is None else parse_duration(cooldown),
        _opt(up, 0.0), _opt(down, 0.0), -1 if stab is None else stab,
        _opt(max_windows, 0), float(bool(external_push)), _opt(threshold, 0.0),
        _opt(target_per_replica if target_per_replica is not None
             else opts.get("target_per_replica"), 0.0),
        _opt(headroom if headroom is not None else opts.get("headroom"), 1.0),
        _opt(activation_threshold, 0.0), _quantity(cpu_request), _quantity(memory_request),
        float(bool(cluster_auth)),
    ], dtype=np.float64)
    return _c.kpy_keda_scaled_object(ts, step, replicas, name, namespace, target, target_kind,
                                     timezone, scaler_address, metric, prometheus_server, query,
                                     auth, numbers)
