"""The `regie` command: Django's management commands under the project's own name."""

import os
import sys
from pathlib import Path


def _dashed_commands() -> set[str]:
    """Regie's own commands with a dash in their module name (found without setting up Django)."""
    from django.core.management import find_commands

    root = Path(__file__).parent
    return {name for app in root.glob("*/management") for name in find_commands(str(app)) if "-" in name}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    argv[0] = "regie"
    # `regie end-sessions` reads better than the module name `end_sessions`: accept both. A command
    # whose module itself has a dash (`audit-verify`, `subject-export`) keeps its name.
    if len(argv) > 1 and not argv[1].startswith("-") and argv[1] not in _dashed_commands():
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
