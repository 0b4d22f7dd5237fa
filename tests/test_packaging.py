"""What a user installs and reads: the wheel's packages, the version, the files a project carries,
and docs that need nothing outside this repository."""

from __future__ import annotations

import re
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder
from typer.testing import CliRunner

from commands.main import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_wheel_installs_only_the_three_packages(tmp_path: Path) -> None:
    """PyPI has unrelated `store` and `tui` packages; a fourth top-level name would be a fourth
    chance to replace (or be replaced by) someone else's package in a shared environment."""
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert names == {"store", "commands", "tui", f"retain-{project['version']}.dist-info"}


def test_version_matches_the_package_and_the_changelog() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"retain {project['version']}" == f"retain {version('retain')}"
    assert f"## {project['version']}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_licence_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_docs_link_and_point_only_inside_the_repository() -> None:
    problems = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "#", "mailto:")):
                continue
            resolved = (doc.parent / target.split("#")[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                problems.append(f"{doc.name}: link {target}")
        for path in re.findall(r"(?<![\w.])(?:\.\./[\w./-]+|/(?:work|home|root|Users)/[\w./-]+)", text):
            problems.append(f"{doc.name}: path {path}")
        if "MISSION" in text:
            problems.append(f"{doc.name}: names MISSION.md, which is not in this repository")
    assert problems == []
