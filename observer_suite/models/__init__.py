"""Models, one module per aggregate; importing this package registers them all."""

from observer_suite.models.missions import Area, Mission, PollingStation
from observer_suite.models.observers import Gender, Observer, ObserverRole
from observer_suite.models.users import AuditEntry, Membership, Role, User

__all__ = [
    "Area",
    "AuditEntry",
    "Gender",
    "Membership",
    "Mission",
    "Observer",
    "ObserverRole",
    "PollingStation",
    "Role",
    "User",
]
