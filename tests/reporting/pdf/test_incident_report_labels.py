"""The incident report PDF names the filters it applied by their labels, never by codes."""

from observer_suite.incidents.listing import IncidentFilters
from observer_suite.reporting.pdf.incident_report import incident_report
from tests.reporting.pdf.test_incident_report import words


def test_category_filter_is_printed_with_its_label(field, incident_factory):
    incident_factory(field.mission, "vote_buying", severity="medium", title="Cash handed out")
    for lang in ("en", "fr"):
        filters = IncidentFilters.from_args({"category": "vote_buying", "status": "follow_up"})
        text = words(incident_report(field.mission, filters, lang=lang))
        assert "vote_buying" not in text and "follow_up" not in text, lang
