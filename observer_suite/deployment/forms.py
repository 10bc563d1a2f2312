from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from observer_suite.deployment.types import PlanOptions, SampleOptions
from observer_suite.util.checked import add_error, present

_P = PlanOptions()
_S = SampleOptions()


class PlanForm(FlaskForm):
    name = StringField("Plan name", validators=[Optional()])
    mode = SelectField(
        "Mode",
        choices=[
            ("purposive", "Purposive (international mission)"),
            ("sample", "Random sample (domestic observers, quick count)"),
        ],
    )
    stations_per_team = IntegerField(
        "Stations per team", default=_P.stations_per_team, validators=[NumberRange(1, 40)]
    )
    visit_minutes = IntegerField(
        "Minutes per visit", default=_P.visit_minutes, validators=[NumberRange(5, 240)]
    )
    max_radius_km = DecimalField(
        "Maximum distance from base (km)",
        default=Decimal(str(_P.max_radius_km)),
        validators=[NumberRange(1, 1000)],
    )
    road_factor = DecimalField(
        "Road factor (road km per straight-line km)",
        default=Decimal(str(_P.road_factor)),
        validators=[NumberRange(1, 3)],
    )
    speed_kmh = DecimalField(
        "Average speed (km/h)", default=Decimal(str(_P.speed_kmh)), validators=[NumberRange(5, 120)]
    )
    opening_time = TimeField("Polls open", default=_P.opening_time, validators=[DataRequired()])
    closing_time = TimeField("Polls close", default=_P.closing_time, validators=[DataRequired()])
    region_weighting = SelectField(
        "Spread coverage across regions by",
        choices=[
            ("voters", "registered voters"),
            ("stations", "number of stations"),
            ("none", "no spreading"),
        ],
    )
    seed = IntegerField("Seed", default=1, validators=[InputRequired(), NumberRange(0, 2**31)])
    confidence = SelectField(
        "Confidence level (sample)",
        choices=[("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")],
        default="0.95",
    )
    margin_of_error = DecimalField(
        "Margin of error (sample, e.g. 0.03)",
        default=Decimal(str(_S.margin_of_error)),
        validators=[NumberRange(0.005, 0.5)],
    )
    nonresponse = DecimalField(
        "Expected non-response (sample)",
        default=Decimal(str(_S.nonresponse)),
        validators=[NumberRange(0, 0.9)],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and present(self.closing_time.data) <= present(self.opening_time.data):
            add_error(self.closing_time, "Polls must close after they open.")
            ok = False
        return ok

    def plan_options(self) -> PlanOptions:
        return PlanOptions(
            stations_per_team=present(self.stations_per_team.data),
            visit_minutes=present(self.visit_minutes.data),
            max_radius_km=float(present(self.max_radius_km.data)),
            road_factor=float(present(self.road_factor.data)),
            speed_kmh=float(present(self.speed_kmh.data)),
            opening_time=present(self.opening_time.data),
            closing_time=present(self.closing_time.data),
            region_weighting=self.region_weighting.data,
            seed=present(self.seed.data),
        )

    def sample_options(self) -> SampleOptions | None:
        if self.mode.data != "sample":
            return None
        return SampleOptions(
            confidence=float(self.confidence.data),
            margin_of_error=float(present(self.margin_of_error.data)),
            nonresponse=float(present(self.nonresponse.data)),
        )


class EditForm(FlaskForm):
    """Every edit carries the plan version the editor saw."""

    version = HiddenField(validators=[DataRequired()])
    station_id = HiddenField()
    step = HiddenField()
    locked = HiddenField()


class MoveForm(EditForm):
    station_code = StringField("Station code", validators=[DataRequired()])
    to_team = SelectField("To team", coerce=int)


class PublishForm(FlaskForm):
    version = HiddenField(validators=[DataRequired()])
    override_reason = TextAreaField(
        "Reason for publishing despite the broken rules", validators=[Length(max=2000)]
    )
