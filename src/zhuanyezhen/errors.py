"""The one error type for bad input, carrying where the problem is.

Every loader (profiles, rule files, batch rows) raises or collects ``InputProblem`` values and
raises ``InputError``; the CLI prints them in Chinese and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputProblem:
    """One mistake in one place: file, line or row, field, what is wrong and what would be right."""

    message: str
    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None
    hint: str | None = None

    def location(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.row is not None:
            parts.append(f"第{self.row}行数据")
        if self.field:
            parts.append(f"{'选项' if self.field.startswith('--') else '字段'} {self.field}")
        return ",".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}:{self.message}" if where else self.message
        if self.hint:
            text += f"({self.hint})"
        return text


@dataclass
class InputError(Exception):
    """Bad input. Holds every problem found, not only the first."""

    problems: list[InputProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, message: str, **where: object) -> InputError:
        return cls([InputProblem(message, **where)])  # type: ignore[arg-type]
