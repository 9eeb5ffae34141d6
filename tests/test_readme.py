"""The README's two commands are the ones CI runs."""

import re

from dienstenwijzer.config import PROJECT_ROOT


def readme_commands() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_commands():
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first, second = readme_commands()[:2]
    assert text.index(first) < text.index("## ")
    assert "dienstenwijzer init" in first and "dienstenwijzer serve" in first
    assert "pytest" in second


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
