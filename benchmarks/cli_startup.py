"""Benchmark: how long ``maaltal --help`` and ``maaltal COMMAND --help`` take against ``python -c "import
duckdb, typer"`` (issue 15).

The command line's floor is Python with DuckDB and Typer; every other library (the renderers, the web
server, the HTTP client, pyarrow, Rich, pydantic …) should load only when a command that needs it runs. All
commands are timed in the same run, alternately, so that a machine shared with other work slows them alike:

- wall-clock, best of ``--runs`` (a fresh interpreter each time, output to /dev/null);
- ``python -X importtime``: the sum of the modules' own import times (the import part of the start-up).

Target: ``maaltal --help`` and every ``maaltal COMMAND --help`` within 2 × the floor (wall-clock). Prints
figures with [met]/[missed]; it asserts nothing.

    .venv/bin/python benchmarks/cli_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

FLOOR = [sys.executable, "-c", "import duckdb, typer"]
HELP = [sys.executable, "-m", "maaltal", "--help"]
TARGET = 2.0
HEAVY = ("docx", "jinja2", "xlsxwriter", "weasyprint", "httpx", "sqlglot", "pyarrow", "fastapi", "uvicorn",
         "vl_convert", "argon2", "pandas", "pyspark")
# Not heavy for a command that prints, but nothing the help needs: Rich draws tables, pydantic checks values.
HELP_ONLY = ("rich", "pydantic", "duckdb")


def wall_clock(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def import_times(command: list[str]) -> tuple[float, set[str]]:
    """The sum of the modules' own import times (seconds) and the names of the top-level packages loaded."""
    result = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True,
                            check=True)
    total, loaded = 0, set()
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)", line)
        if match:
            total += int(match.group(1))
            loaded.add(match.group(2).split(".")[0])
    return total / 1e6, loaded


def _status(met: bool) -> str:
    return "[met]" if met else "[missed]"


def main() -> None:
    from maaltal.cli.commands import COMMANDS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    subcommands = {name: [*HELP[:-1], name, "--help"] for name in COMMANDS}
    floor, helped = [], []
    sub_times: dict[str, list[float]] = {name: [] for name in subcommands}
    for _ in range(args.runs):
        floor.append(wall_clock(FLOOR))
        helped.append(wall_clock(HELP))
        for name, command in subcommands.items():
            sub_times[name].append(wall_clock(command))
    floor_imports, _ = import_times(FLOOR)
    help_imports, loaded = import_times(HELP)

    best_floor = min(floor)
    ratio = min(helped) / best_floor
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f'python -c "import duckdb, typer": {best_floor:.3f} s wall-clock (best of {args.runs}), '
          f"imports {floor_imports:.3f} s")
    print(f"maaltal --help:                   {min(helped):.3f} s wall-clock (best of {args.runs}), "
          f"imports {help_imports:.3f} s")
    print(f"maaltal --help / floor: {ratio:.2f} × (target ≤ {TARGET:.0f} ×) {_status(ratio <= TARGET)}")
    heavy = sorted(set(HEAVY + HELP_ONLY) & loaded)
    print(f"libraries loaded by --help beyond Typer: {', '.join(heavy) or 'none'} {_status(not heavy)}")

    print("maaltal COMMAND --help (best of each, × floor; imports; libraries beyond Typer):")
    worst = 0.0
    for name, command in subcommands.items():
        best = min(sub_times[name])
        worst = max(worst, best / best_floor)
        imports, sub_loaded = import_times(command)
        extra = sorted(set(HEAVY + HELP_ONLY) & sub_loaded)
        print(f"  {name:<10} {best:.3f} s  {best / best_floor:.2f} ×  imports {imports:.3f} s  "
              f"{', '.join(extra) or '-'}")
    print(f"slowest COMMAND --help / floor: {worst:.2f} × (target ≤ {TARGET:.0f} ×) {_status(worst <= TARGET)}")
    sub_heavy = sorted(set(HEAVY) & set().union(*(import_times(c)[1] for c in subcommands.values())))
    print(f"heavy libraries loaded by a COMMAND --help: {', '.join(sub_heavy) or 'none'} {_status(not sub_heavy)}")


if __name__ == "__main__":
    main()
