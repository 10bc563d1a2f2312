"""Adding or editing one station or one observer from the web, checked as an import checks
a row: the same RowReader rules (codes normalised, lengths, numbers, coordinates, roles,
e-mail, nationality), so a value the import refuses is refused here with the same words.
Callers commit; the ORM audit listener records the change.
"""

from sqlalchemy import func, select

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.imports.columns import OBSERVER_FIELDS, STATION_FIELDS, match_columns
from observer_suite.imports.common import RowReader
from observer_suite.imports.errors import LineError
from observer_suite.imports.observers import read_observer
from observer_suite.imports.stations import read_coordinates
from observer_suite.models import Area, Mission, Observer, PollingStation

STATION_KEYS = tuple(f.key for f in STATION_FIELDS)
OBSERVER_KEYS = tuple(f.key for f in OBSERVER_FIELDS)


class EditError(ServiceError):
    """Field -> message for every refused value (`fields`); nothing was written."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()), fields=errors)


class _OneRow(RowReader):
    """A RowReader that remembers whether its one row had the header's width."""

    row_ok: bool = False


def _reader(keys: tuple[str, ...], fields, values: dict) -> _OneRow:
    """A RowReader over one row whose headers are the field keys themselves."""
    columns = match_columns(list(keys), fields)
    reader = _OneRow(columns, [])
    reader.row_ok = reader.start(1, [str(values.get(key) or "").strip() for key in keys])
    return reader


def _errors(errors: list[LineError]) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in errors:
        found.setdefault(error.column or "form", error.message)
    return found


def find_area(mission: Mission, text: str) -> Area | Exception:
    """A lowest-level area by its path, else its code, else its name (when unique)."""
    text = (text or "").strip()
    level = len(mission.area_levels) - 1
    base = select(Area).where(Area.mission_id == mission.id, Area.level == level)
    what = mission.area_levels[level] if mission.area_levels else "area"
    if not text:
        return ValueError(f"give the {what}: its path, code or name")
    for column, value in (
        (Area.path, text),
        (Area.code, text),
        (func.lower(Area.name), text.lower()),
    ):
        found = db.session.scalars(base.where(column == value).limit(2)).all()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            example = found[0].path
            return ValueError(f"several {what}s match {text!r}; give its path, e.g. {example}")
    return ValueError(f"no {what} {text!r} in this mission")


def save_station(
    mission: Mission, values: dict, station: PollingStation | None = None
) -> PollingStation:
    reader = _reader(STATION_KEYS, STATION_FIELDS, values)
    code = reader.code("code", 60, required=True)
    row = {
        "name": reader.required("name", 300),
        "polling_centre": reader.text("polling_centre", 300) or None,
        "registered_voters": reader.whole_number("registered_voters"),
        **read_coordinates(reader),
    }
    errors = _errors(reader.errors)
    area = find_area(mission, values.get("area", ""))
    if isinstance(area, Exception):
        errors["area"] = str(area)
    if code and "code" not in errors:
        clash = db.session.scalar(
            select(PollingStation.id).where(
                PollingStation.mission_id == mission.id, PollingStation.code == code
            )
        )
        if clash is not None and (station is None or clash != station.id):
            errors["code"] = f"a station {code!r} already exists in this mission"
    if errors:
        raise EditError(errors)
    assert not isinstance(area, Exception)  # a refused area is one of the errors above
    if station is None:
        station = PollingStation(mission_id=mission.id)
        db.session.add(station)
    station.code, station.area_id = code, area.id
    for key, value in row.items():
        setattr(station, key, value)
    db.session.flush()
    return station


def save_observer(mission: Mission, values: dict, person: Observer | None = None) -> Observer:
    reader = _reader(OBSERVER_KEYS, OBSERVER_FIELDS, values)
    parsed = read_observer(reader, 1, reader.values, None) if reader.row_ok else None
    errors = _errors(reader.errors)
    if parsed is not None and "ref" not in errors:
        clash = db.session.scalar(
            select(Observer.id).where(Observer.mission_id == mission.id, Observer.ref == parsed.ref)
        )
        if clash is not None and (person is None or clash != person.id):
            field = "ref" if values.get("ref") else "email" if values.get("email") else "name"
            errors[field] = f"an observer with ref {parsed.ref!r} is already on the roster"
    if errors or parsed is None:
        raise EditError(errors or {"form": "the values could not be read"})
    if person is None:
        person = Observer(mission_id=mission.id)
        db.session.add(person)
    person.ref = parsed.ref
    for key, value in parsed.values.items():
        setattr(person, key, value)
    db.session.flush()
    return person
