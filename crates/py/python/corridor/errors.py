"""Errors of corridor as Python exceptions, one class per error code of the CLI and the API.

Every exception carries ``code`` (the stable code, e.g. ``UnknownPlace``), ``message``,
``field`` (the parameter at fault, or None), ``suggestions`` (candidates, possibly empty) and
``problems`` (for invalid data, scenario and job files: dicts with ``file``, ``line``,
``message``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional


class CorridorError(Exception):
    """Base class of every corridor error."""

    code: str = "Internal"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        field: Optional[str] = None,
        suggestions: Optional[List[str]] = None,
        problems: Optional[List[Dict[str, Any]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.suggestions = list(suggestions or [])
        self.problems = list(problems or [])

    def __str__(self) -> str:
        lines = [self.message]
        for p in self.problems:
            where = f"{p.get('file')}:{p.get('line')}" if p.get("line") else f"{p.get('file')}"
            lines.append(f"  {where}: {p.get('message')}")
        return "\n".join(lines)


class BadRequest(CorridorError, ValueError):
    """The request cannot be answered as given (CLI exit 2, HTTP 400/404/413)."""


class InvalidQuery(BadRequest):
    """The request as a whole does not make sense."""

    code = "InvalidQuery"


class InvalidValue(BadRequest):
    """One parameter has a bad value (``field`` names it)."""

    code = "InvalidValue"


class UnknownPlace(BadRequest, LookupError):
    """A place name matched nothing (``suggestions`` holds near misses)."""

    code = "UnknownPlace"


class NoSnap(BadRequest):
    """A point is too far from the network."""

    code = "NoSnap"


class TooBig(BadRequest):
    """The request is too large."""

    code = "TooBig"


class NotFound(CorridorError):
    """No answer satisfies the request (CLI exit 3, HTTP 422)."""


class NoRoute(NotFound):
    """No itinerary satisfies the constraints (the message names the one to blame)."""

    code = "NoRoute"


class NoPath(NotFound):
    """No path on the physical network."""

    code = "NoPath"


class OutsideServicePeriod(NotFound):
    """The clock window lies outside the data's service period."""

    code = "OutsideServicePeriod"


class BudgetExceeded(NotFound):
    """The search ran out of its budget before it found a route."""

    code = "BudgetExceeded"


class InvalidData(CorridorError):
    """A data, scenario or job file has problems (``problems`` lists each with its line)."""

    code = "InvalidData"


class InvalidJob(InvalidData):
    """A batch job file has problems (``problems`` lists every one with its line)."""

    code = "InvalidJob"


class StoreError(CorridorError):
    """The results store failed (SQLite or PostgreSQL)."""

    code = "Store"


class InternalError(CorridorError):
    """A bug: please report it."""

    code = "Internal"


_BY_CODE = {
    c.code: c
    for c in (
        InvalidQuery,
        InvalidValue,
        UnknownPlace,
        NoSnap,
        TooBig,
        NoRoute,
        NoPath,
        OutsideServicePeriod,
        BudgetExceeded,
        InvalidData,
        InvalidJob,
        StoreError,
        InternalError,
    )
}


def from_body(text: str) -> CorridorError:
    """The exception for a JSON error body ``{code, message, field?, suggestions?, problems?}``."""
    try:
        body = json.loads(text)
    except ValueError:
        return InternalError(text)
    code = body.get("code", "Internal")
    cls = _BY_CODE.get(code, CorridorError)
    return cls(
        body.get("message", code),
        code=code,
        field=body.get("field"),
        suggestions=body.get("suggestions"),
        problems=body.get("problems"),
    )
