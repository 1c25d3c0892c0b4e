"""A client's details: one validation, each problem under its neutral field name."""

import pytest

from sciatica_care.services.clients import client_problems

YEAR = 2026


def _problems(**overrides: object) -> list[str]:
    details: dict[str, object] = {"name": "Ada Lovelace", "birth_year": 1971, "sex": "female"}
    details["email"] = "ada@example.org"
    details.update(overrides)
    return client_problems(year=YEAR, **details)  # type: ignore[arg-type]


def test_a_client_with_plain_details_has_no_problems() -> None:
    assert _problems() == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"name": "  "}, "name: must not be empty"),
        ({"name": None}, "name: must not be empty"),
        ({"name": "A" * 201}, "name: must be at most 200 characters"),
        ({"name": "Dee\nBEGIN:VEVENT"}, "name: must not hold control characters"),
        ({"sex": "f" * 41}, "sex: must be at most 40 characters"),
        ({"sex": "fe\tmale"}, "sex: must not hold control characters"),
        ({"email": "ada"}, "email: must be an email address"),
        ({"email": "@example.org"}, "email: must be an email address"),
        ({"email": "ada@example.org\r\nBcc: x"}, "email: must not hold control characters"),
        ({"birth_year": 1849}, "birth_year: must be a year 1850..2026, got 1849"),
        ({"birth_year": YEAR + 1}, "birth_year: must be a year 1850..2026, got 2027"),
        ({"birth_year": "19x0"}, "birth_year: must be a year 1850..2026, got 19x0"),
    ],
)
def test_each_bad_detail_is_named_by_its_field(overrides: dict[str, object], problem: str) -> None:
    found = _problems(**overrides)
    assert len(found) == 1, found
    assert found[0].startswith(problem)


@pytest.mark.parametrize("year", [1850, YEAR])
def test_the_first_and_last_birth_years_are_accepted(year: int) -> None:
    assert _problems(birth_year=year) == []
