"""Write the lowest versions that pyproject.toml allows, one `name==version` a line.

`make lower-bounds` installs these pins into a fresh virtual environment and runs the unit
tests there, so a lower bound we declare is a version we have run, not a guess.

Every runtime dependency (``[project].dependencies``) must declare a lower bound with ``>=``,
``~=`` or ``==``; one without a usable lower bound is an error, since nothing could check it.
Environment markers are kept, so the file stays right on every Python that pip reads it with.

``--extra NAME --only PKG ...`` prints the named packages of an optional extra as they are
declared, not pinned (the test tools the check needs, in whatever version fits the pins).

Usage::

    python tools/lower_bounds.py                     # runtime pins, to stdout
    python tools/lower_bounds.py -o lower.txt
    python tools/lower_bounds.py --extra dev --only pytest pytest-xdist hypothesis

Needs ``packaging`` (and ``tomli`` on Python 3.10); `make lower-bounds` installs both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def lowest_pin(requirement: Requirement) -> str:
    """Return ``name==lowest`` for a requirement, keeping its extras and marker.

    Raises:
        ValueError: if the requirement has no ``>=``, ``~=`` or ``==`` bound.
    """
    bounds = [spec.version for spec in requirement.specifier
              if spec.operator in (">=", "~=", "==")]
    if not bounds:
        raise ValueError(
            f"lower_bounds expects every runtime dependency to declare a lower bound "
            f"(>=, ~= or ==). Received: {requirement}. Add one to [project].dependencies "
            f"in pyproject.toml, e.g. '{requirement.name}>=X.Y', with X.Y a version that "
            f"`make lower-bounds` passes with.")
    # With several lower bounds (">=1.2,>=1.3") the highest one is the real floor.
    lowest = max(bounds, key=Version)
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    marker = f" ; {requirement.marker}" if requirement.marker else ""
    return f"{requirement.name}{extras}=={lowest}{marker}"


def declared(project: dict, extra: str, only: list[str]) -> list[str]:
    """Return the requirements of ``extra`` whose names are in ``only``, as declared."""
    extras = project.get("optional-dependencies", {})
    if extra not in extras:
        raise ValueError(f"lower_bounds expects an extra of [project.optional-dependencies]. "
                         f"Received: --extra {extra}. Choose one of: {', '.join(extras)}.")
    wanted = {canonicalize_name(name) for name in only}
    lines = [line for line in extras[extra]
             if not wanted or canonicalize_name(Requirement(line).name) in wanted]
    missing = wanted - {canonicalize_name(Requirement(line).name) for line in lines}
    if missing:
        raise ValueError(f"lower_bounds expects --only to name packages of the '{extra}' "
                         f"extra. Received: {', '.join(sorted(missing))}. Declare them in "
                         f"pyproject.toml first.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--extra", help="print this extra's requirements as declared instead")
    parser.add_argument("--only", nargs="*", default=[],
                        help="with --extra: only these packages")
    args = parser.parse_args(argv)

    project = tomllib.loads(args.pyproject.read_text(encoding="utf-8"))["project"]
    try:
        if args.extra:
            lines = declared(project, args.extra, args.only)
        else:
            lines = [lowest_pin(Requirement(line)) for line in project.get("dependencies", [])]
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    text = "".join(f"{line}\n" for line in lines)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
