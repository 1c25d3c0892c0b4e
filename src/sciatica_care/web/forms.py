"""What the forms share: the posted form, the values as the user left them, problems by field.

A refused form comes back with status 422, every value the user typed kept (`Values`) and each
problem shown next to its field (`Problems`).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from sciatica_care.domain.text import control_problem
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.records import MAX_TEXT
from sciatica_care.web.rendering import render

MESSAGE_KINDS = ("message", "before_session")
_INDEXED = re.compile(r"(odi|startback)\[(\d+)\]")


async def _form(request: Request) -> FormData:
    return await request.form()


# The posted form of a route, read once (the CSRF check reads the same parsed form).
Form = Annotated[FormData, Depends(_form)]


@dataclass(frozen=True, slots=True)
class Values:
    """A form's values as the user left them, or its defaults: nothing typed is lost."""

    fields: dict[str, list[str]]

    @classmethod
    def of(cls, form: FormData) -> "Values":
        """The text fields of a posted form."""
        out: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            if isinstance(value, str) and key != "csrf_token":
                out.setdefault(key, []).append(value)
        return cls(out)

    @classmethod
    def defaults(cls, **values: object) -> "Values":
        """A form's first values; a list or tuple fills a repeated field (checkboxes)."""
        out: dict[str, list[str]] = {}
        for key, value in values.items():
            items = value if isinstance(value, (list, tuple)) else [value]
            out[key] = [str(item) for item in items if item is not None]
        return cls(out)

    def get(self, name: str) -> str:
        """The field's (first) value, or empty."""
        return next(iter(self.fields.get(name, [])), "")

    def has(self, name: str, value: object) -> bool:
        """Whether a checkbox or radio button with this value is chosen."""
        return str(value) in self.fields.get(name, [])

    def all(self, name: str) -> list[str]:
        """Every value of a repeated field."""
        return list(self.fields.get(name, []))


@dataclass(frozen=True, slots=True)
class Problems:
    """Bad input, each problem with the form field it belongs to: (field, label, message)."""

    listed: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, error: InputProblems, labels: Mapping[str, str]) -> "Problems":
        """The problems of a refused entry ("path: message") by form field and its label."""
        listed = []
        for problem in error.problems:
            path, _, message = problem.partition(": ")
            name = field_of(path)
            listed.append((name, labels.get(name, name.replace("_", " ").capitalize()), message))
        return cls(tuple(listed))

    def by_field(self) -> dict[str, list[str]]:
        """Each field's problems."""
        out: dict[str, list[str]] = {}
        for name, _, message in self.listed:
            out.setdefault(name, []).append(message)
        return out


def field_of(path: str) -> str:
    """A problem's form field: `odi[3]` -> `odi_4`, `regions.pain[0]` -> `regions_pain`."""
    if indexed := _INDEXED.match(path):
        return f"{indexed[1]}_{int(indexed[2]) + 1}"
    if path.startswith("regions."):
        return "regions_" + re.split(r"[\[.]", path.removeprefix("regions."))[0]
    return re.split(r"[\[.]", path)[0]


def form_page(
    request: Request,
    template: str,
    values: Values,
    problems: Problems | None = None,
    **context: Any,
) -> Response:
    """A form page with `values`, `errors` by field and the `problems` listed; 422 with problems."""
    problems = problems or Problems()
    full = {"values": values, "errors": problems.by_field(), "problems": problems.listed}
    return render(request, template, {**full, **context}, status=422 if problems.listed else 200)


def message_problem(kind: str, body: str) -> str | None:
    """What is wrong with a message, in plain words, or None."""
    if kind not in MESSAGE_KINDS:
        return "Choose a message or a note before your session."
    if not body.strip():
        return "Write something first."
    if len(body) > MAX_TEXT:
        return f"Keep it under {MAX_TEXT} characters."
    if (problem := control_problem("body", body)) is not None:
        return "It " + problem.partition(": ")[2] + ": remove them and send it again."
    return None
