"""The coordinator's command-line path on real data, on one database: stations → roster →
pairs → deployment → plan → plan PDF, with no step typed by hand in between."""

import io
import random
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import func, select

from observer_suite.models import DeploymentPlan, PlanStop, Team, TeamKind
from tests.maps.conftest import PU_FILE, nigeria_csv

TEAMS = 30
NATIONS = ["DE", "FR", "SE", "PL", "IT", "ES", "NL", "CZ", "PT", "IE", "AT", "FI"]
LANGUAGES = ["en", "en; fr", "en; de", "fr", "en; es"]


def roster(count: int, seed: int = 15) -> str:
    """A short-term observer roster as HR would send it: mixed genders, nationalities."""
    rng = random.Random(seed)
    lines = ["Observer ID,Full Name,Role,Nationality,Sex,Languages,Previous missions"]
    lines.extend(
        f"EU-{i:03d},Observer {i:03d},Short-term observer,{rng.choice(NATIONS)},"
        f'{"FM"[i % 2]},"{rng.choice(LANGUAGES)}",{rng.randint(0, 5)}'
        for i in range(1, count + 1)
    )
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not PU_FILE.exists(), reason="shared Nigeria polling-unit file missing")
def test_stations_roster_pair_deploy_plan_report(app, database_url, db, tmp_path):
    from observer_suite.cli import main

    runner = CliRunner()

    def cli(*args):
        result = runner.invoke(main, ["--database-url", database_url, *args])
        assert result.exit_code == 0, result.output[-3000:]
        return result.output

    # three states, 30 polling units per LGA: 1,530 stations over 51 LGAs
    (tmp_path / "pu.csv").write_bytes(nigeria_csv(per_lga=30))
    (tmp_path / "roster.csv").write_text(roster(2 * TEAMS))
    cli("mission", "create", "ng-2027", "--name", "Nigeria 2027", "--country", "NG",
        "--election-date", "2027-02-25", "--levels", "state,lga,ward",
        "--timezone", "Africa/Lagos")  # fmt: skip
    cli("import", "stations", str(tmp_path / "pu.csv"))
    cli("import", "observers", str(tmp_path / "roster.csv"))
    assert f"Formed {TEAMS} STO teams" in cli("teams", "pair", "--seed", "3")
    deployed = cli("teams", "deploy", "--seed", "3")
    assert f"Deployed {TEAMS} STO teams in ng-2027 (seed 3):" in deployed
    assert "state ANAMBRA:" in deployed and "base at the voter-weighted centre" in deployed
    # every state gets teams in proportion to its stations (no voter counts in the file)
    assert len(set(re.findall(r"^T\d+  (\w+) /", deployed, re.M))) == 3
    planned = cli("plan", "--time-limit", "10")
    assert re.search(r"Plan \d+ \(draft\): \d+ stations for \d+ teams\.", planned)

    db.session.expire_all()
    plan = db.session.scalar(select(DeploymentPlan))
    teams = db.session.scalars(select(Team).where(Team.kind == TeamKind.STO)).all()
    assert len(teams) == TEAMS and all(t.base_latitude is not None for t in teams)
    per_team = dict(
        db.session.execute(
            select(PlanStop.team_id, func.count())
            .where(PlanStop.plan_id == plan.id)
            .group_by(PlanStop.team_id)
        ).all()
    )
    full = sum(1 for team in teams if per_team.get(team.id, 0) >= 9)
    assert full >= 0.95 * TEAMS, (full, plan.problems)

    out = tmp_path / "plan.pdf"
    assert "Wrote" in cli("report", "deployment", "--out", str(out))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    for team in teams:
        assert team.code in text
