"""Errors the person running a command can fix: shown as one or two lines, no traceback."""

from __future__ import annotations


class OperatorError(Exception):
    """What is wrong, and what to do about it."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint

    def __str__(self) -> str:
        return self.problem if not self.hint else f"{self.problem}\n{self.hint}"


class NotConfiguredError(OperatorError):
    """A service this command needs has no URL, and no ``recoloca dev`` runs here."""

    def __init__(self, setting: str) -> None:
        super().__init__(
            f"RECOLOCA_{setting} is not set and no `make run` is running in this folder",
            f"start `make run` in this folder, or set RECOLOCA_{setting}",
        )
        self.setting = setting
