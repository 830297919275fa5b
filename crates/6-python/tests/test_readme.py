"""The README's Python example runs and prints what the README says it prints."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def run_section(title, timeout):
    """Runs the first Python block of README's section `title` and checks
    that it prints the text block after the word "prints"."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split(title, 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected = re.search(r"prints\n\n```text\n(.*?)```", section, re.S).group(1)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected


def test_readme_csv_to_model_example():
    pytest.importorskip("sklearn", reason="scikit-learn is not installed")
    pytest.importorskip("jax", reason="jax is not installed")
    run_section("### From a CSV file to a model", timeout=300)


def test_readme_fused_expressions_example():
    run_section("### Fused expressions", timeout=60)
