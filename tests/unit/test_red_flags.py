"""Protocol 2026.2 red flags: combinations, codes, age, level wordings, notes, clearances."""

import msgspec
import pytest
from msgspec.structs import replace

from sciatica_care.domain.care_plan import build_care_plan
from sciatica_care.domain.history import Client, DiaryEntry, History, Session
from sciatica_care.domain.plan import CarePlan
from sciatica_care.engine import default_protocol
from tests.builders import (
    START,
    assessment,
    clearance,
    day,
    finding,
    make_history,
    plan,
    screening,
)

PROTOCOL = default_protocol()


def born(year: int) -> Client:
    """A client born in `year` (START is in 2026)."""
    return Client(birth_year=year)


def screened(*codes: str, year: int | None = 1986, **extra: object) -> CarePlan:
    """The plan of one screening on START with these findings, for a client born in `year`."""
    client = born(year) if year else None
    history = make_history(screenings=[screening(START, *codes)], client=client, **extra)  # type: ignore[arg-type]
    return plan(history, START)


def finding_rules(care: CarePlan) -> dict[str, str]:
    return {f.code: f.rule for f in care.triage.findings}


@pytest.mark.parametrize(
    ("codes", "level", "rule"),
    [
        pytest.param(
            ("cancer_history", "numbness"),
            "emergency",
            "triage.suspected_mscc",
            id="cancer-numbness",
        ),
        pytest.param(
            ("cancer_history", "thoracic_pain"),
            "emergency",
            "triage.suspected_mscc",
            id="cancer-thoracic",
        ),
        pytest.param(
            ("cancer_history", "severe_night_pain"),
            "emergency",
            "triage.suspected_mscc",
            id="cancer-night",
        ),
        pytest.param(
            ("bone_metastases", "severe_motor_deficit"),
            "emergency",
            "triage.suspected_mscc",
            id="mets-motor",
        ),
        pytest.param(
            ("fever_or_infection_signs", "iv_drug_use"),
            "urgent",
            "triage.possible_spinal_infection",
            id="fever-ivdu",
        ),
        pytest.param(
            ("fever_or_infection_signs", "immunosuppression"),
            "urgent",
            "triage.possible_spinal_infection",
            id="fever-immuno",
        ),
        pytest.param(
            ("minor_trauma", "osteoporosis"),
            "urgent",
            "triage.possible_fracture",
            id="minor-trauma-osteoporosis",
        ),
        pytest.param(
            ("minor_trauma", "long_term_steroids"),
            "urgent",
            "triage.possible_fracture",
            id="minor-trauma-steroids",
        ),
    ],
)
def test_a_combination_is_a_red_flag_of_its_own(
    codes: tuple[str, ...], level: str, rule: str
) -> None:
    care = screened(*codes)

    assert care.triage.level == level
    assert care.triage.rule == rule
    (combined,) = [f for f in care.triage.findings if f.source == "combination"]
    assert set(combined.because) <= set(codes) | {"body_map_numbness"}
    assert care.massage.status == "on_hold"


@pytest.mark.parametrize(
    ("codes", "level"),
    [
        pytest.param(("cancer_history",), "see_doctor", id="cancer-alone"),
        pytest.param(("fever_or_infection_signs",), "urgent", id="fever-alone-no-combination"),
        pytest.param(("iv_drug_use",), "see_doctor", id="ivdu-alone"),
        pytest.param(("osteoporosis",), "precautions", id="osteoporosis-alone"),
    ],
)
def test_one_half_of_a_combination_raises_nothing_more(codes: tuple[str, ...], level: str) -> None:
    care = screened(*codes)

    assert care.triage.level == level
    assert not [f for f in care.triage.findings if f.source == "combination"]


def test_numbness_on_the_body_map_with_cancer_is_suspected_cord_compression() -> None:
    history = make_history(
        screenings=[screening(START, "cancer_history")],
        assessments=[assessment(START, leg=5, numbness=["great_toe_left"])],
    )
    care = plan(history, START)

    assert care.triage.level == "emergency"
    assert finding_rules(care)["suspected_mscc"] == "triage.suspected_mscc"


def test_minor_trauma_alone_changes_nothing() -> None:
    care = screened("minor_trauma")

    assert care.triage.level == "clear"
    assert care.massage.status == "go"
    assert [f.level for f in care.triage.findings] == ["noted"]


@pytest.mark.parametrize(("year", "fracture"), [(1976, True), (1977, False)])
def test_minor_trauma_at_fifty_or_over_is_a_possible_fracture(year: int, fracture: bool) -> None:
    care = screened("minor_trauma", year=year)

    assert ("possible_fracture" in finding_rules(care)) is fracture
    assert (care.triage.level == "urgent") is fracture
    if fracture:
        assert care.triage.findings[0].because == ("minor_trauma", "age 50")


def test_significant_trauma_is_urgent_and_its_question_no_longer_says_heavy_lift() -> None:
    assert screened("significant_trauma").triage.level == "urgent"
    assert "lift" not in PROTOCOL.findings["significant_trauma"].question


@pytest.mark.parametrize(
    ("code", "level", "status"),
    [
        ("severe_motor_deficit", "urgent", "on_hold"),
        ("widespread_neurology", "urgent", "on_hold"),
        ("possible_aaa", "emergency", "on_hold"),
        ("thoracic_pain", "see_doctor", "on_hold"),
        ("constant_nonmechanical_pain", "see_doctor", "on_hold"),
        ("confirmed_dvt", "precautions", "on_hold"),
        ("bone_metastases", "precautions", "on_hold"),
        ("past_dvt", "precautions", "modified"),
        ("varicose_veins", "precautions", "modified"),
        ("recent_fracture", "precautions", "modified"),
        ("low_platelets", "precautions", "modified"),
        ("lymphoedema", "precautions", "modified"),
        ("peripheral_arterial_disease", "precautions", "modified"),
        ("inflammatory_arthritis", "precautions", "modified"),
        ("minor_trauma", "clear", "go"),
    ],
)
def test_each_new_code_has_its_level(code: str, level: str, status: str) -> None:
    # A finding about one place (needs_region) is screened with its region, as it must be.
    if PROTOCOL.findings[code].needs_region:
        history = make_history(
            screenings=[screening(START, finding(code, "posterior_calf_left"))], client=born(1986)
        )
        care = plan(history, START)
    else:
        care = screened(code)

    assert (care.triage.level, care.massage.status) == (level, status)
    spec = PROTOCOL.findings[code]
    assert spec.question
    assert spec.action
    assert PROTOCOL.rule(spec.rule).sources


@pytest.mark.parametrize(
    "code", ["confirmed_dvt", "past_dvt", "varicose_veins", "recent_fracture", "lymphoedema"]
)
def test_a_new_code_about_one_place_holds_massage_until_its_region_is_recorded(code: str) -> None:
    care = screened(code)

    assert care.massage.status == "on_hold"
    assert "precaution.region_needed" in {r.rule for r in care.massage.reasons}


def test_a_cleared_confirmed_dvt_keeps_its_limb_out_of_the_massage() -> None:
    history = make_history(
        screenings=[screening(START, finding("confirmed_dvt", "posterior_calf_left"))],
        clearances=[clearance(START, "confirmed_dvt")],
    )
    care = plan(history, START)

    assert care.massage.status == "modified"
    assert care.massage.avoid_regions == ("posterior_calf_left",)


@pytest.mark.parametrize(
    ("year", "rules"),
    [
        pytest.param(1990, set(), id="36-none"),
        pytest.param(1976, {"precaution.age_new_back_pain"}, id="50-new-pain"),
        pytest.param(2008, {"precaution.age_new_back_pain"}, id="18-new-pain"),
        pytest.param(1951, {"precaution.age_new_back_pain", "precaution.older_age"}, id="75"),
    ],
)
def test_age_counts_from_the_birth_year(year: int, rules: set[str]) -> None:
    care = screened(year=year)

    assert {f.rule for f in care.triage.findings if f.source == "age"} == rules
    if rules:
        assert care.massage.status == "modified"
        assert "deep_tissue" not in care.massage.techniques
        assert care.massage.max_pressure == "moderate"


def test_back_pain_is_new_only_within_the_protocols_days() -> None:
    history = make_history(client=born(1970), assessments=[assessment(START, leg=2)])
    days = PROTOCOL.rule("precaution.age_new_back_pain").number("new_within_days")
    fresh = plan(history, day(days))
    old = plan(replace(history, screenings=(screening(day(days + 1)),)), day(days + 1))

    assert "age_new_back_pain" in finding_rules(fresh)
    assert "age_new_back_pain" not in finding_rules(old)


@pytest.mark.parametrize(
    ("level", "code"),
    [
        ("emergency", "saddle_numbness"),
        ("emergency", "possible_aaa"),
        ("urgent", "suspected_dvt"),
        ("urgent", "severe_motor_deficit"),
        ("see_doctor", "cancer_history"),
    ],
)
def test_every_finding_of_a_level_ends_with_the_one_wording_of_that_level(
    level: str, code: str
) -> None:
    (found,) = [f for f in screened(code).triage.findings if f.code == code]

    assert found.action.endswith(PROTOCOL.level_text(level))
    assert "before massage goes on" not in found.action


def test_the_emergency_wording_names_the_clinics_number_and_says_do_not_drive() -> None:
    clinic = PROTOCOL.with_emergency_number("112")
    history = make_history(screenings=[screening(START, "bladder_change")])
    care = build_care_plan(history, clinic, START)

    assert (
        "call 112 or go to the emergency department now; do not drive yourself"
        in care.triage.action
    )
    assert "999" not in care.triage.action
    assert PROTOCOL.with_emergency_number("  ") is PROTOCOL


@pytest.mark.parametrize("code", ["saddle_numbness", "severe_motor_deficit"])
def test_an_emergency_or_urgent_plan_holds_the_action_and_a_safety_net_only(code: str) -> None:
    history = make_history(
        screenings=[screening(START, code)],
        assessments=[assessment(START, leg=6)],
        sessions=[Session(date=START)],
    )
    care = plan(history, day(90))

    assert care.massage.status == "on_hold"
    assert care.cadence.next_session is None
    assert care.self_care == ()
    assert [r.code for r in care.review] == ["safety_net"]
    assert care.review[0].rule == "review.safety_net"


def diary_note(when: int, note: str, **fields: object) -> DiaryEntry:
    return msgspec.convert({"date": day(when).isoformat(), "note": note, **fields}, DiaryEntry)


@pytest.mark.parametrize(
    ("note", "held"),
    [
        ("It feels odd when I WIPE", True),
        ("trouble passing  water since Sunday", True),
        ("tingling in both legs", True),
        ("my foot drop is worse", True),
        ("bladder fine I think", True),
        ("walked to the wipers shop", False),
        ("a good week", False),
    ],
)
def test_red_flag_words_in_a_diary_note_hold_massage_and_are_quoted(note: str, held: bool) -> None:
    history = make_history(diary=[diary_note(1, note, leg_pain=3)])
    care = plan(history, day(1))

    assert (care.massage.status == "on_hold") is held
    codes = [r.code for r in care.review]
    assert ("red_flag_words" in codes) is held
    if held:
        (review,) = [r for r in care.review if r.code == "red_flag_words"]
        assert " ".join(note.split()) in review.action
        assert any(r.rule == "triage.note_red_flag_words" for r in care.massage.reasons)


def test_a_session_note_counts_and_a_later_screening_lifts_the_hold() -> None:
    session = msgspec.convert(
        {"date": day(1).isoformat(), "note": "Numb in the saddle area"}, Session
    )
    history = make_history(sessions=[session])
    assert plan(history, day(1)).massage.status == "on_hold"

    same_day = replace(history, screenings=(screening(START), screening(day(1))))
    assert plan(same_day, day(1)).massage.status == "on_hold"

    rescreened = replace(history, screenings=(screening(START), screening(day(2))))
    assert plan(rescreened, day(2)).massage.status == "go"


def test_flare_true_in_the_diary_counts_as_a_flare() -> None:
    readings = [diary_note(n, "ok", leg_pain=3) for n in (0, 7, 14)]
    calm = make_history(diary=readings)
    flared = make_history(diary=[*readings, diary_note(15, "sore", leg_pain=3, flare=True)])

    assert plan(calm, day(15)).cadence.rule != "cadence.flare"
    assert plan(flared, day(15)).cadence.rule == "cadence.flare"
    # E5: one flare changes the cadence only; the worsening review needs two worse reading dates.
    assert "worsening" not in [r.code for r in plan(flared, day(15)).review]


@pytest.mark.parametrize(
    ("by", "role", "cleared", "warned"),
    [
        pytest.param("Dr B. Example", "GP", True, False, id="named-with-role"),
        pytest.param("Dr B. Example", None, True, True, id="no-role-warns"),
        pytest.param("   ", "GP", False, True, id="blank-name-clears-nothing"),
        pytest.param(None, None, False, True, id="no-name-clears-nothing"),
    ],
)
def test_a_clearance_must_name_the_clinician(
    by: str | None, role: str | None, cleared: bool, warned: bool
) -> None:
    history: History = make_history(
        screenings=[screening(START, "pregnancy")],
        clearances=[clearance(START, "pregnancy", by=by, role=role)],
    )
    care = plan(history, START)

    assert (care.massage.status != "on_hold") is cleared
    assert ("clearance_incomplete" in [r.code for r in care.review]) is warned
    if cleared:
        (found,) = care.triage.findings
        assert found.clearance is not None
        assert found.clearance.role == role
