from os import PathLike
from typing import Any, Dict, List, Optional, Sequence, Union

from .answers import Answer as Answer
from .answers import CompareAnswer as CompareAnswer
from .answers import PathAnswer as PathAnswer
from .answers import RouteAnswer as RouteAnswer
from .answers import TableAnswer as TableAnswer
from .errors import BadRequest as BadRequest
from .errors import BudgetExceeded as BudgetExceeded
from .errors import CorridorError as CorridorError
from .errors import InternalError as InternalError
from .errors import InvalidData as InvalidData
from .errors import InvalidJob as InvalidJob
from .errors import InvalidQuery as InvalidQuery
from .errors import InvalidValue as InvalidValue
from .errors import NoPath as NoPath
from .errors import NoRoute as NoRoute
from .errors import NoSnap as NoSnap
from .errors import NotFound as NotFound
from .errors import OutsideServicePeriod as OutsideServicePeriod
from .errors import StoreError as StoreError
from .errors import TooBig as TooBig
from .errors import UnknownPlace as UnknownPlace

__version__: str

_Path = Union[str, PathLike[str]]
_Names = Union[None, str, Sequence[str]]

class Engine:
    def __init__(
        self,
        data: Optional[_Path] = None,
        scenario: _Names = None,
        network_dir: Optional[_Path] = None,
    ) -> None: ...
    @property
    def data(self) -> Answer: ...
    def route(
        self,
        from_: str,
        to: str,
        *,
        via: _Names = None,
        cargo: Optional[str] = None,
        payload_t_per_teu: Optional[float] = None,
        commodity: Optional[str] = None,
        reefer: Optional[bool] = None,
        dangerous_goods: Optional[str] = None,
        goods: Optional[str] = None,
        customs: Optional[str] = None,
        optimize: Optional[str] = None,
        avoid: _Names = None,
        include_planned: Optional[bool] = None,
        scenario: _Names = None,
        alternatives: Optional[int] = None,
        max_transshipments: Optional[int] = None,
        max_borders: Optional[int] = None,
        depart: Optional[str] = None,
        arrive_by: Optional[str] = None,
        budget_ms: Optional[int] = None,
        reliability: Optional[bool] = None,
        draws: Optional[int] = None,
        seed: Optional[int] = None,
        deadline_days: Optional[float] = None,
        time_criterion: Optional[str] = None,
    ) -> RouteAnswer: ...
    def front(self, from_: str, to: str, alternatives: Optional[int] = None, **options: Any) -> RouteAnswer: ...
    def reliability(
        self,
        from_: str,
        to: str,
        draws: Optional[int] = None,
        seed: Optional[int] = None,
        deadline_days: Optional[float] = None,
        **options: Any,
    ) -> RouteAnswer: ...
    def table(
        self,
        from_: _Names = None,
        to: _Names = None,
        pairs: Optional[Sequence[Sequence[str]]] = None,
        as_frame: bool = False,
        **options: Any,
    ) -> Any: ...
    def compare(
        self,
        from_: _Names = None,
        to: _Names = None,
        pairs: Optional[Sequence[Sequence[str]]] = None,
        scenario: _Names = None,
        as_frame: bool = False,
        **options: Any,
    ) -> Any: ...
    def emissions(
        self,
        leg: _Names = None,
        legs: Optional[Sequence[Dict[str, Any]]] = None,
        **options: Any,
    ) -> Answer: ...
    def path(
        self,
        from_: str,
        to: str,
        network: str = "rail",
        max_snap_km: float = 50.0,
        algorithm: Optional[str] = None,
        allow: _Names = None,
        avoid: _Names = None,
        simplify_km: float = 1.0,
    ) -> PathAnswer: ...
    def assign(self, tntp: _Path, **options: Any) -> Answer: ...

def assign(
    tntp: _Path,
    algorithm: str = "gp",
    objective: str = "ue",
    gap: float = 1e-5,
    max_iter: int = 1000,
    threads: Optional[int] = None,
    toll_weight: float = 0.0,
    distance_weight: float = 0.0,
) -> Answer: ...
