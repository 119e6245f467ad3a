"""What an import returns: counts per file, the problems, and the files it wrote."""

from dataclasses import dataclass, field
from pathlib import Path

# At most this many problems (and warnings) are kept in the result; the report holds them all.
LISTED = 10_000


@dataclass
class Problem:
    file: str
    line: int
    column: str
    value: str
    reason: str
    fix: str


@dataclass
class FileResult:
    name: str
    path: Path
    kind: str | None = None
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    seconds: float = 0.0  # reading, checking and writing this file
    error: str | None = None  # why the file was refused as a whole
    rejects_path: Path | None = None

    def summary(self) -> dict:
        """Counts only: this goes into ImportRun.summary, which holds no personal data."""
        keys = ("kind", "rows", "new", "changed", "unchanged", "rejected", "warnings")
        return {k: getattr(self, k) or (0 if k != "kind" else "") for k in keys} | {"refused": self.error is not None}


@dataclass
class ImportResult:
    run: object  # ImportRun
    files: list[FileResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows refused (at most LISTED)
    warnings: list[Problem] = field(default_factory=list)  # kept, but worth a look (at most LISTED)
    errors: list[str] = field(default_factory=list)  # files refused as a whole: "<file>: <message>"
    problem_count: int = 0
    warning_count: int = 0
    exit_code: int = 0  # 0 clean, 1 rows rejected, 2 a file (or path) unusable
    written: bool = False  # whether anything was written (not a dry run, not refused)
    report_path: Path | None = None
    rejects: list[Path] = field(default_factory=list)

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)
