"""Exceptions raised by kairos: one class per libkairos status code.

Every exception carries the C library's own message (``kairos_last_error()``, read on the
thread that made the call, right after it) and the numeric status code.
"""
from __future__ import annotations

from typing import Dict, Type

__all__ = [
    "KairosError", "KairosInvalidArgument", "KairosOutOfMemory", "KairosIOError",
    "KairosParseError", "KairosDataError", "KairosModelError", "KairosVersionError",
    "KairosRangeError", "KairosNotSupported",
]


class KairosError(Exception):
    """Base class of every error libkairos reports.

    Attributes:
        status: the negative ``KAIROS_E*`` code (for example -5 for ``KAIROS_EDATA``).
        message: the detail the C library gave (``kairos_last_error()``).
    """

    status: int = -100
    code_name: str = "KAIROS_E?"

    def __init__(self, message: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class KairosInvalidArgument(KairosError, ValueError):
    """``KAIROS_EINVAL``: an invalid argument or option (a caller error)."""
    status, code_name = -1, "KAIROS_EINVAL"


class KairosOutOfMemory(KairosError, MemoryError):
    """``KAIROS_ENOMEM``: out of memory."""
    status, code_name = -2, "KAIROS_ENOMEM"


class KairosIOError(KairosError, OSError):
    """``KAIROS_EIO``: a file could not be opened or read."""
    status, code_name = -3, "KAIROS_EIO"


class KairosParseError(KairosError, ValueError):
    """``KAIROS_EPARSE``: malformed input text (CSV, JSON, YAML, timestamps)."""
    status, code_name = -4, "KAIROS_EPARSE"


class KairosDataError(KairosError, ValueError):
    """``KAIROS_EDATA``: well-formed data that cannot be used (too short, all missing, infinite)."""
    status, code_name = -5, "KAIROS_EDATA"


class KairosModelError(KairosError, RuntimeError):
    """``KAIROS_EMODEL``: a model could not be fitted or does not converge."""
    status, code_name = -6, "KAIROS_EMODEL"


class KairosVersionError(KairosError, RuntimeError):
    """``KAIROS_EVERSION``: an options struct version this library does not know."""
    status, code_name = -7, "KAIROS_EVERSION"


class KairosRangeError(KairosError, ValueError):
    """``KAIROS_ERANGE``: a value outside the range the operation supports."""
    status, code_name = -8, "KAIROS_ERANGE"


class KairosNotSupported(KairosError, NotImplementedError):
    """``KAIROS_ENOTSUP``: the operation does not apply to this input or model."""
    status, code_name = -9, "KAIROS_ENOTSUP"


_BY_STATUS: Dict[int, Type[KairosError]] = {
    cls.status: cls
    for cls in (KairosInvalidArgument, KairosOutOfMemory, KairosIOError, KairosParseError,
                KairosDataError, KairosModelError, KairosVersionError, KairosRangeError,
                KairosNotSupported)
}


def error_class(status: int) -> Type[KairosError]:
    """The exception class for a libkairos status code (KairosError for unknown codes)."""
    return _BY_STATUS.get(status, KairosError)


def _from_status(status: int, message: str) -> KairosError:
    """Build the exception for ``status``; called by the C extension."""
    return error_class(status)(message, status)
