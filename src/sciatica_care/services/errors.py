"""What a use case can refuse, in words a person can act on."""


class ServiceError(Exception):
    """A request that cannot be carried out (not found, ambiguous, not allowed)."""


class InputProblems(ValueError):
    """Bad input: every problem, each naming its field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
