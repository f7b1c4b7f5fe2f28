"""C failures become KairosError subclasses carrying the library's own message."""
from __future__ import annotations

import numpy as np
import pytest

import kairos
from kairos import capi


def test_unknown_model_is_invalid_argument_with_the_c_message():
    with pytest.raises(kairos.KairosInvalidArgument) as info:
        kairos.forecast([1.0, 2.0, 3.0, 4.0], horizon=2, model="nope")
    assert "unknown model 'nope'" in str(info.value)
    assert info.value.status == kairos.capi.EINVAL == -1
    assert info.value.message == str(info.value)
    assert isinstance(info.value, ValueError)


def test_malformed_csv_is_a_parse_error_naming_the_line():
    with pytest.raises(kairos.KairosParseError, match=r"line 3, column 'value': 'abc' is not a number"):
        kairos.parse_csv("value\n1\nabc\n")


def test_impossible_timestamp_is_a_parse_error():
    with pytest.raises(kairos.KairosParseError, match="month 13"):
        kairos.parse_timestamp("2024-13-01")
    with pytest.raises(kairos.KairosParseError):
        kairos.forecast([1.0, 2.0], timestamps=["2024-01-01", "2024-13-01"], horizon=1)


def test_unusable_series_is_a_data_error():
    with pytest.raises(kairos.KairosDataError):
        kairos.forecast([np.nan, np.nan, np.nan], horizon=1, model="naive")
    with pytest.raises(kairos.KairosDataError, match="infinite"):
        kairos.forecast([1.0, np.inf, 3.0], horizon=1, model="naive")


def test_seasonal_model_without_a_period_says_how_to_give_one():
    with pytest.raises(kairos.KairosInvalidArgument, match="period"):
        kairos.forecast(np.arange(50.0), horizon=3, model="snaive")


def test_missing_file_is_an_io_error():
    with pytest.raises(kairos.KairosIOError) as info:
        kairos.read_csv("/nonexistent/history.csv")
    assert isinstance(info.value, OSError)


def test_bad_levels_and_options():
    with pytest.raises(kairos.KairosInvalidArgument):
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, quantiles=[1.5])
    with pytest.raises(kairos.KairosInvalidArgument):
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, levels=[120])
    with pytest.raises(kairos.KairosInvalidArgument, match="not both"):
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, quantiles=[0.5], levels=[80])
    with pytest.raises(kairos.KairosInvalidArgument, match="horizon"):
        kairos.forecast([1.0, 2.0, 3.0], horizon=0)
    with pytest.raises(TypeError, match="unknown model option"):
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, colour="red")
    with pytest.raises(kairos.KairosInvalidArgument, match="step, agg and fill"):
        kairos.forecast([1.0, 2.0, 3.0], horizon=1, fill="linear")


def test_plan_and_cost_errors_carry_the_c_message():
    fc = kairos.forecast(np.arange(1.0, 30.0), horizon=4, model="drift")
    with pytest.raises(kairos.KairosInvalidArgument, match="target"):
        kairos.plan(fc, target_per_replica=-1)
    with pytest.raises(kairos.KairosInvalidArgument):
        kairos.plan(fc, target_per_replica=10, quantile=0.9, risk=0.1)
    with pytest.raises(kairos.KairosParseError):
        kairos.cost(3, cpu="500x", memory="1Gi")


def test_lint_of_text_that_is_not_yaml_is_a_parse_error():
    with pytest.raises(kairos.KairosParseError):
        kairos.lint("key: [unclosed\n  - : :")


def test_every_status_code_has_its_class():
    expected = {
        capi.EINVAL: kairos.KairosInvalidArgument, capi.ENOMEM: kairos.KairosOutOfMemory,
        capi.EIO: kairos.KairosIOError, capi.EPARSE: kairos.KairosParseError,
        capi.EDATA: kairos.KairosDataError, capi.EMODEL: kairos.KairosModelError,
        capi.EVERSION: kairos.KairosVersionError, capi.ERANGE: kairos.KairosRangeError,
        capi.ENOTSUP: kairos.KairosNotSupported,
    }
    for status, cls in expected.items():
        assert kairos.error_class(status) is cls
        assert issubclass(cls, kairos.KairosError)
        assert cls.status == status
    assert kairos.error_class(-1234) is kairos.KairosError


def test_the_c_layer_refuses_arrays_of_the_wrong_type_instead_of_copying():
    with pytest.raises(TypeError, match="float64"):
        capi.kpy_series_from_arrays(np.arange(5, dtype=np.float32), None)
    with pytest.raises(TypeError, match="contiguous"):
        capi.kpy_series_from_arrays(np.arange(10.0)[::2], None)
    with pytest.raises(TypeError, match="writable"):
        model = capi.kpy_model_fit(capi.kpy_series_from_arrays(np.arange(9.0), None), "naive",
                                   None, None, None, np.zeros(16, dtype=np.int64))
        out = np.zeros(3)
        out.setflags(write=False)
        capi.kpy_model_forecast(model, None, out, None)


def test_errors_in_threads_carry_their_own_message():
    # kairos_last_error() is thread-local: each thread must see its own failure's text.
    import threading
    results = {}

    def fail(i):
        try:
            kairos.forecast([1.0, 2.0, 3.0], horizon=1, model=f"model{i}")
        except kairos.KairosInvalidArgument as exc:
            results[i] = str(exc)

    threads = [threading.Thread(target=fail, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(f"'model{i}'" in results[i] for i in range(8))


def test_scaled_object_errors_carry_the_c_message():
    with pytest.raises(kairos.KairosInvalidArgument, match="Bad_Name"):
        kairos.keda.scaled_object([1, 2, 3], timestamps=[0, 3600, 7200], name="Bad_Name")
    with pytest.raises(kairos.KairosInvalidArgument):
        kairos.keda.scaled_object([1, 2, 3], name="api", mode="external")   # no address
    with pytest.raises(kairos.KairosInvalidArgument, match="mode"):
        kairos.keda.scaled_object([1, 2, 3], name="api", mode="sideways")
