"""Models, one module per aggregate; importing this package registers them all."""

from observer_suite.models.api_tokens import ApiToken
from observer_suite.models.checklists import (
    Form,
    Observation,
    ObservationReview,
    ObservationVersion,
    ReviewStatus,
)
from observer_suite.models.deployment import (
    DeploymentPlan,
    PlanMode,
    PlanStatus,
    PlanStop,
    PlanTeamLock,
    StopKind,
)
from observer_suite.models.incidents import (
    Incident,
    IncidentCategory,
    IncidentPhoto,
    IncidentStatus,
    IncidentStatusChange,
    Severity,
)
from observer_suite.models.missions import Area, Mission, PollingStation
from observer_suite.models.observers import Gender, Observer, ObserverRole
from observer_suite.models.reports import ReportDefinition
from observer_suite.models.teams import MemberRole, Team, TeamArea, TeamKind, TeamMember
from observer_suite.models.users import AuditEntry, Membership, Role, User

__all__ = [
    "ApiToken",
    "Area",
    "AuditEntry",
    "DeploymentPlan",
    "Form",
    "Gender",
    "Incident",
    "IncidentCategory",
    "IncidentPhoto",
    "IncidentStatus",
    "IncidentStatusChange",
    "MemberRole",
    "Membership",
    "Mission",
    "Observation",
    "ObservationReview",
    "ObservationVersion",
    "Observer",
    "ObserverRole",
    "PlanMode",
    "PlanStatus",
    "PlanStop",
    "PlanTeamLock",
    "PollingStation",
    "ReportDefinition",
    "ReviewStatus",
    "Role",
    "Severity",
    "StopKind",
    "Team",
    "TeamArea",
    "TeamKind",
    "TeamMember",
    "User",
]
