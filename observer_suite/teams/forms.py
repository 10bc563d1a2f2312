"""Forms of the team pages; choices come from the roster, the service re-checks everything."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from observer_suite.models import Mission, Observer, ObserverRole, Team
from observer_suite.teams.centres import area_choices
from observer_suite.teams.queries import free_people
from observer_suite.util.choices import SelectChoice

NONE = SelectChoice(0, "— none —")


class PairForm(FlaskForm):
    seed = IntegerField(
        "Seed",
        default=1,
        validators=[InputRequired(), NumberRange(0, 2**31 - 1)],
        description="The same seed gives the same pairs; another seed may give others.",
    )


class ConfirmForm(FlaskForm):
    """CSRF token only: a POST made from our own confirmation page."""


class TeamForm(FlaskForm):
    # Set by team_form for the page: (area, centre) pairs a base can be placed at, and their
    # points for the map (annotations only: not form fields).
    area_centres: list
    area_points: dict

    kind = SelectField(
        "Kind", choices=[SelectChoice("sto", "STO team"), SelectChoice("lto", "LTO team")]
    )
    code = StringField(
        "Code",
        validators=[Optional(), Length(max=30)],
        description="Leave empty for the next free code (T… for STO, L… for LTO teams).",
    )
    first = SelectField("First observer", coerce=int)
    second = SelectField("Second observer", coerce=int)
    driver = SelectField("Driver", coerce=int)
    interpreter = SelectField("Interpreter", coerce=int)
    base_name = StringField(
        "Base (where the team sleeps)", validators=[Optional(), Length(max=200)]
    )
    base_lat = FloatField("Base latitude", validators=[Optional(), NumberRange(-90, 90)])
    base_lon = FloatField("Base longitude", validators=[Optional(), NumberRange(-180, 180)])
    base_area = SelectField(
        "Or place the base at an area's centre",
        coerce=int,
        default=0,
        description="The registered-voter-weighted centre of the area's stations; used when "
        "latitude and longitude are left empty.",
    )
    override = BooleanField("Keep this team even though it breaks a hard rule")


def label(observer: Observer) -> str:
    """Name with what the pairing rules look at; WTForms escapes option labels."""
    parts = [
        observer.name,
        observer.nationality or "nationality ?",
        observer.gender.value if observer.gender else "gender ?",
        f"{observer.previous_missions} mission{'' if observer.previous_missions == 1 else 's'}",
        ", ".join(observer.languages or []) or "languages ?",
    ]
    return " · ".join(parts)


def team_form(mission: Mission, team: Team | None = None) -> TeamForm:
    """The form with the people free to join (plus the team's own), prefilled from `team`."""
    people = free_people(mission, team)
    form = TeamForm(obj=None)
    if team is not None:
        del form.kind
        observers = {ObserverRole(team.kind.value): people[ObserverRole(team.kind.value)]}
    else:
        observers = {role: people[role] for role in (ObserverRole.STO, ObserverRole.LTO)}
    choices = [SelectChoice(0, "— choose —")] + [
        SelectChoice(o.id, label(o), optgroup=role.value.upper())
        for role, group in observers.items()
        for o in group
    ]
    form.first.choices = form.second.choices = choices
    form.driver.choices = [NONE] + [
        SelectChoice(o.id, label(o)) for o in people[ObserverRole.DRIVER]
    ]
    form.interpreter.choices = [NONE] + [
        SelectChoice(o.id, label(o)) for o in people[ObserverRole.INTERPRETER]
    ]
    levels = mission.area_levels or []
    form.area_centres = area_choices(mission)
    form.area_points = {
        str(a.id): [round(c.lat, 6), round(c.lon, 6), a.name] for a, c in form.area_centres
    }
    form.base_area.choices = [NONE] + [
        SelectChoice(
            a.id,
            ("\u2003" * a.level)
            + f"{a.name} ({levels[a.level] if a.level < len(levels) else 'area'})",
        )
        for a, _ in form.area_centres
    ]
    if team is not None and not form.is_submitted():
        by_role = {}
        for member in team.members:
            by_role.setdefault(member.role.value, []).append(member.observer_id)
        observers_in = [*by_role.get("observer", []), 0, 0]
        form.first.data, form.second.data = observers_in[0], observers_in[1]
        form.driver.data = (by_role.get("driver") or [0])[0]
        form.interpreter.data = (by_role.get("interpreter") or [0])[0]
        form.code.data = team.code
        form.base_name.data = team.base_name
        form.base_lat.data = team.base_latitude
        form.base_lon.data = team.base_longitude
    return form


def base_at_area(form: TeamForm) -> dict:
    """The base fields from the chosen area's centre, unless coordinates were typed."""
    chosen = form.base_area.data
    if not chosen or form.base_lat.data is not None or form.base_lon.data is not None:
        return {}
    for area, centre in form.area_centres:
        if area.id == chosen:
            return {
                "base_lat": round(centre.lat, 6),
                "base_lon": round(centre.lon, 6),
                "base_name": form.base_name.data or f"{area.name} (centre)",
            }
    return {}
