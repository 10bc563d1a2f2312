"""Queries behind the browsing pages; counts are GROUP BY in SQL, never Python loops."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import Area, Mission, Observer, ObserverRole, PollingStation

PAGE_SIZE = 50


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def area_scope(area: Area):
    """Condition matching the area itself and all areas below it."""
    return or_(Area.path == area.path, Area.path.startswith(area.path + "/", autoescape=True))


def within(path, ancestor_path):
    """SQL condition: `path` is `ancestor_path` or below it (no LIKE, so `_` and `%` are safe)."""
    return or_(
        path == ancestor_path,
        func.substr(path, 1, func.length(ancestor_path) + 1) == ancestor_path + "/",
    )


def area_query(mission: Mission, level: int | None, q: str, parent: Area | None) -> Select:
    """Areas with the stations and registered voters of their whole subtree."""
    below = aliased(Area)
    in_subtree = within(below.path, Area.path)
    totals = (
        select(func.count(PollingStation.id))
        .join(below, PollingStation.area_id == below.id)
        .where(below.mission_id == mission.id, in_subtree)
        .correlate(Area)
    )
    voters = totals.with_only_columns(func.coalesce(func.sum(PollingStation.registered_voters), 0))
    query = (
        select(
            Area,
            totals.scalar_subquery().label("stations"),
            voters.scalar_subquery().label("voters"),
        )
        .where(Area.mission_id == mission.id)
        .order_by(Area.level, Area.path)
    )
    if level is not None:
        query = query.where(Area.level == level)
    if parent is not None:
        query = query.where(Area.parent_id == parent.id)
    if q:
        pattern = _like(q)
        query = query.where(
            or_(Area.name.ilike(pattern, escape="\\"), Area.code.ilike(pattern, escape="\\"))
        )
    return query


def station_query(mission: Mission, q: str, area: Area | None) -> Select:
    query = (
        select(PollingStation, Area)
        .join(Area, PollingStation.area_id == Area.id)
        .where(PollingStation.mission_id == mission.id)
        .order_by(PollingStation.code)
    )
    if area is not None:
        query = query.where(area_scope(area))
    if q:
        pattern = _like(q)
        query = query.where(
            or_(
                PollingStation.code.ilike(pattern, escape="\\"),
                PollingStation.name.ilike(pattern, escape="\\"),
                PollingStation.polling_centre.ilike(pattern, escape="\\"),
            )
        )
    return query


def observer_query(mission: Mission, q: str, role: str) -> Select:
    query = select(Observer).where(Observer.mission_id == mission.id).order_by(Observer.name)
    if role in {r.value for r in ObserverRole}:
        query = query.where(Observer.role == ObserverRole(role))
    if q:
        pattern = _like(q)
        query = query.where(
            or_(
                Observer.name.ilike(pattern, escape="\\"),
                Observer.email.ilike(pattern, escape="\\"),
                Observer.ref.ilike(pattern, escape="\\"),
            )
        )
    return query


def get_area(mission: Mission, area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    return db.session.scalar(select(Area).where(Area.id == area_id, Area.mission_id == mission.id))


def ancestors(area: Area) -> list[Area]:
    chain = []
    node = area
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@dataclass(frozen=True)
class Page:
    items: Sequence
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(query: Select, page: int, per_page: int = PAGE_SIZE, scalars: bool = False) -> Page:
    total = db.session.scalars(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).one()
    page = min(max(page, 1), max(1, -(-total // per_page)))
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = result.scalars().all() if scalars else result.all()
    return Page(items=items, page=page, per_page=per_page, total=total)
