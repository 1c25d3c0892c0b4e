"""`sciatica plan --input FILE --today DATE --format json` under protocol 2026.2's massage,
therapy and progress rules (docs/contract.md, "Massage, therapies and progress")."""

import json
from pathlib import Path
from typing import Any

from tests.cli.runner import run


def plan_of(tmp_path: Path, history: dict[str, Any], today: str) -> dict[str, Any]:
    """The JSON plan the command prints for a history written to a file."""
    path = tmp_path / "history.json"
    path.write_text(json.dumps(history), encoding="utf-8")
    done = run("plan", "--input", str(path), "--today", today, "--format", "json")
    assert done.returncode == 0, done.stderr
    value: dict[str, Any] = json.loads(done.stdout)
    return value


def test_an_avoided_lower_back_drops_its_focus_areas_and_rules_out_manipulation(
    tmp_path: Path,
) -> None:
    history = {
        "schema": "sciatica-care/history@1",
        "screenings": [
            {
                "date": "2026-02-02",
                "findings": [
                    "osteoporosis",
                    {"code": "skin_lesion", "regions": ["lower_back"]},
                ],
            }
        ],
        "assessments": [{"date": "2026-02-02", "leg_pain": 5, "back_pain": 3}],
        "sessions": [
            {"date": "2026-02-02", "areas": ["lumbar_paraspinals", "gluteals"], "minutes": 45}
        ],
    }
    plan = plan_of(tmp_path, history, "2026-02-03")
    therapies = {c["therapy"]: c for c in plan["complementary"]}

    assert plan["massage"]["avoid_regions"] == ["lower_back"]
    assert plan["massage"]["focus_areas"] == ["gluteals"]
    assert "massage.avoid_focus_area" in {r["rule"] for r in plan["massage"]["reasons"]}
    assert therapies["spinal_manipulation"]["stance"] == "not_recommended"
    assert therapies["spinal_manipulation"]["rule"] == "complementary.contraindicated"
    assert therapies["acupuncture"]["evidence"]["grade"] == "guideline_against"
    assert {s["item"]: s["evidence"]["grade"] for s in plan["self_care"]}["heat"] == "moderate"


def test_a_relapse_below_baseline_brings_back_weekly_sessions_and_a_review(
    tmp_path: Path,
) -> None:
    history = {
        "schema": "sciatica-care/history@1",
        "screenings": [{"date": "2026-03-01", "findings": []}],
        "assessments": [{"date": "2026-02-01", "leg_pain": 8, "back_pain": 5}],
        "diary": [
            {"date": "2026-02-15", "leg_pain": 3},
            {"date": "2026-02-28", "leg_pain": 5},
            {"date": "2026-03-01", "leg_pain": 5},
        ],
    }
    plan = plan_of(tmp_path, history, "2026-03-01")

    assert plan["progress"]["status"] == "improved"
    assert plan["cadence"]["rule"] == "cadence.relapse"
    assert plan["cadence"]["interval"] == "weekly"
    assert "relapse" in {r["code"] for r in plan["review"]}


def test_a_history_without_a_surgery_region_plans_with_massage_held(tmp_path: Path) -> None:
    history = {
        "schema": "sciatica-care/history@1",
        "screenings": [{"date": "2026-02-02", "findings": ["recent_surgery"]}],
        "assessments": [{"date": "2026-02-02", "leg_pain": 3}],
    }
    plan = plan_of(tmp_path, history, "2026-02-02")

    assert plan["massage"]["status"] == "on_hold"
    assert "precaution.region_needed" in {r["rule"] for r in plan["massage"]["reasons"]}
