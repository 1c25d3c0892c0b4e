"""The protocol loader refuses a faulty file and names the place of every fault."""

import re
from collections.abc import Callable

import pytest

from sciatica_care.domain.protocol import ProtocolProblems, load_protocol
from sciatica_care.engine import default_protocol_text

SHIPPED = default_protocol_text()
NEW_FINDING = 'sciatic_pain = { class = "modify", rule = "precaution.avoid_site", action = "x" }'
RULE_OF_CLASS = {
    "emergency": "triage.cauda_equina",
    "urgent": "triage.urgent_referral",
    "see_doctor": "triage.serious_pathology",
    "clearance_needed": "triage.clearance_needed",
    "modify": "precaution.avoid_site",
}


def replace(old: str, new: str) -> Callable[[str], str]:
    """An edit that replaces text found exactly once in the protocol."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} is not in the shipped protocol exactly once"
        return text.replace(old, new)

    return edit


def edit_table(header: str, old: str, new: str) -> Callable[[str], str]:
    """An edit that replaces text found exactly once inside one table of the protocol."""

    def edit(text: str) -> str:
        start = text.index(f"\n{header}\n")
        end = text.find("\n[", start + 1)
        end = len(text) if end == -1 else end
        body = text[start:end]
        assert body.count(old) == 1, f"{old!r} is not in {header} exactly once"
        return text[:start] + body.replace(old, new) + text[end:]

    return edit


def drop_table(header: str) -> Callable[[str], str]:
    """An edit that removes one table, from its header to the next header or comment."""

    def edit(text: str) -> str:
        start = text.index(f"\n{header}\n")
        ends = [text.find(mark, start + 1) for mark in ("\n[", "\n#")]
        end = min(i for i in ends if i != -1)
        return text[:start] + text[end:]

    return edit


def drop_line(prefix: str) -> Callable[[str], str]:
    """An edit that removes the one line starting with `prefix`."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(prefix)]
        assert len(kept) == len(lines) - 1, f"no single line starts with {prefix!r}"
        return "".join(kept)

    return edit


def reclass(code: str, new_class: str) -> Callable[[str], str]:
    """An edit that moves a finding to another class, with that class's triage rule."""
    pattern = re.compile(rf'^{code} = {{ class = "[a-z_]+", rule = "[a-z_.]+"', re.MULTILINE)
    moved = f'{code} = {{ class = "{new_class}", rule = "{RULE_OF_CLASS[new_class]}"'

    def edit(text: str) -> str:
        edited, count = pattern.subn(moved, text)
        assert count == 1, f"no single finding line for {code!r}"
        return edited

    return edit


def append(extra: str) -> Callable[[str], str]:
    """An edit that appends TOML at the end of the protocol."""
    return lambda text: text + extra


def test_the_shipped_protocol_loads() -> None:
    protocol = load_protocol(SHIPPED)

    assert (protocol.id, protocol.version) == ("default", "2026.2")


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        pytest.param(
            append("\n[extras]\nnote = 'x'\n"), "extras: unknown section", id="unknown-section"
        ),
        pytest.param(
            replace('version = "2026.2"', 'version = "2026.2"\nauthor = "me"'),
            "protocol.author: unknown key",
            id="unknown-key-in-header",
        ),
        pytest.param(
            edit_table(
                '[rules."cadence.initial"]', "interval_days = 7", "interval_days = 7\nsessions = 3"
            ),
            "rules.cadence.initial.sessions: unknown key",
            id="unknown-key-in-rule",
        ),
        pytest.param(
            replace(
                'pregnancy = { class = "clearance_needed",',
                'pregnancy = { weeks = 12, class = "clearance_needed",',
            ),
            "findings.pregnancy.weeks: unknown key",
            id="unknown-key-in-finding",
        ),
        pytest.param(
            append('\n[rules."cadence.fortnightly"]\ntext = "x"\nsources = []\n'),
            "rules.cadence.fortnightly: unknown rule",
            id="unknown-rule",
        ),
        pytest.param(
            drop_table("[combinations.suspected_mscc]"),
            "combinations.suspected_mscc: missing combination (a red flag cannot be dropped)",
            id="combination-dropped",
        ),
        pytest.param(
            edit_table(
                "[combinations.possible_fracture]", 'class = "urgent"', 'class = "see_doctor"'
            ),
            "combinations.possible_fracture.class: a red flag cannot be made milder than 'urgent'",
            id="combination-made-milder",
        ),
        pytest.param(
            edit_table("[combinations.possible_fracture]", "min_age = 50\n", ""),
            "combinations.possible_fracture.min_age: 'age' in requires needs an integer 1..120",
            id="combination-age-without-min-age",
        ),
        pytest.param(
            edit_table("[combinations.possible_spinal_infection]", '["iv_drug_use",', '["heroin",'),
            "combinations.possible_spinal_infection.requires[1]: unknown codes ['heroin']",
            id="combination-unknown-code",
        ),
        pytest.param(
            edit_table("[levels.emergency]", "call {emergency_number} or", "call for help or"),
            "levels.emergency.action: must name the number as {emergency_number}",
            id="emergency-wording-without-number",
        ),
        pytest.param(
            drop_table("[levels.urgent]"),
            "levels.urgent: missing level",
            id="level-wording-missing",
        ),
        pytest.param(
            replace(
                'possible_aaa = { class = "emergency"', 'possible_aaa = { class = "see_doctor"'
            ),
            "findings.possible_aaa.class: a red flag cannot be made milder than 'emergency'",
            id="new-red-flag-made-milder",
        ),
        pytest.param(
            edit_table(
                '[rules."triage.note_red_flag_words"]', 'words = ["numbness', 'words = ["numb!'
            ),
            "rules.triage.note_red_flag_words.words: holds entries that are not plain words"
            " ['numb! between the legs']",
            id="note-words-not-plain",
        ),
        pytest.param(
            drop_table('[rules."review.rescreen_due"]'),
            "rules.review.rescreen_due: missing rule",
            id="missing-rule",
        ),
        pytest.param(
            drop_table('[rules."cadence.flare"]'),
            "rules.cadence.flare: missing rule",
            id="missing-flare-rule",
        ),
        pytest.param(
            edit_table('[rules."cadence.step_down"]', "held_days = 14\n", ""),
            "rules.cadence.step_down.held_days: missing threshold",
            id="missing-threshold",
        ),
        pytest.param(
            edit_table(
                '[rules."progress.improved"]', "min_drop_percent = 30", "min_drop_percent = 130"
            ),
            "rules.progress.improved.min_drop_percent: must be an integer 1..100, got 130",
            id="threshold-out-of-range",
        ),
        pytest.param(
            edit_table('[rules."review.rescreen_due"]', "= 30", '= "thirty"'),
            "rules.review.rescreen_due.max_age_days: must be an integer 1..365, got 'thirty'",
            id="threshold-not-a-number",
        ),
        pytest.param(
            edit_table('[rules."precaution.reduced_sensation"]', '"moderate"', '"gentle"'),
            "rules.precaution.reduced_sensation.max_pressure: must be one of light, moderate, "
            "firm, got 'gentle'",
            id="threshold-unknown-word",
        ),
        pytest.param(
            edit_table('[rules."progress.much_improved"]', "= 50", "= 20"),
            "rules.progress.much_improved.min_drop_percent: must not be below improved",
            id="thresholds-contradict",
        ),
        pytest.param(
            replace("[findings]\n", f"[findings]\n{NEW_FINDING}\n"),
            "findings.sciatic_pain: unknown finding code",
            id="unknown-finding-code",
        ),
        pytest.param(
            drop_line("diabetes = "), "findings.diabetes: missing finding", id="missing-finding"
        ),
    ],
)
def test_the_loader_refuses_a_faulty_protocol_naming_the_place(
    edit: Callable[[str], str], problem: str
) -> None:
    with pytest.raises(ProtocolProblems) as refused:
        load_protocol(edit(SHIPPED))

    assert problem in refused.value.problems
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    ("code", "floor", "milder"),
    [
        pytest.param("saddle_numbness", "emergency", "urgent", id="cauda-equina-to-urgent"),
        pytest.param("bladder_change", "emergency", "modify", id="cauda-equina-to-modify"),
        pytest.param("progressive_weakness", "urgent", "see_doctor", id="urgent-to-see-doctor"),
        pytest.param("suspected_dvt", "urgent", "modify", id="dvt-to-modify"),
    ],
)
def test_the_loader_refuses_a_red_flag_made_milder(code: str, floor: str, milder: str) -> None:
    with pytest.raises(ProtocolProblems) as refused:
        load_protocol(reclass(code, milder)(SHIPPED))

    assert refused.value.problems == [
        f"findings.{code}.class: a red flag cannot be made milder than {floor!r}"
    ]


@pytest.mark.parametrize(
    ("code", "shipped", "stricter"),
    [
        pytest.param("progressive_weakness", "urgent", "emergency", id="urgent-to-emergency"),
        pytest.param("cancer_history", "see_doctor", "urgent", id="see-doctor-to-urgent"),
        pytest.param("diabetes", "modify", "clearance_needed", id="precaution-to-clearance"),
    ],
)
def test_the_loader_accepts_a_finding_made_stricter(code: str, shipped: str, stricter: str) -> None:
    protocol = load_protocol(reclass(code, stricter)(SHIPPED))

    assert load_protocol(SHIPPED).findings[code].finding_class == shipped

    assert protocol.findings[code].finding_class == stricter


def test_the_loader_lists_every_fault_at_once() -> None:
    edited = drop_table('[rules."review.rescreen_due"]')(
        replace("min_drop_percent = 30", "min_drop_percent = 0")(SHIPPED)
    )

    with pytest.raises(ProtocolProblems) as refused:
        load_protocol(edited)

    assert refused.value.problems == [
        "rules.progress.improved.min_drop_percent: must be an integer 1..100, got 0",
        "rules.review.rescreen_due: missing rule",
    ]
