"""Binder and local installs agree: environment.yml vs pyproject.toml, and the rendered Dockerfile.
Also: README.md's layout table lists every folder and tool of the repository.

Binder (repo2docker) installs environment.yml first, then copies the repository in and runs
postBuild, which installs dlkit itself with ``pip install --no-deps -e .``. So environment.yml must
hold every runtime package of pyproject.toml's [project].dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
# Packages environment.yml may hold beyond the runtime ones: the interpreter, pip, the notebook UI.
CONDA_ONLY = {"python", "pip", "jupyterlab"}
CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def runtime_requirements() -> dict[str, SpecifierSet]:
    requirements = [Requirement(line) for line in pyproject()["project"]["dependencies"]]
    return {canonicalize_name(r.name): r.specifier for r in requirements}


def conda_dependencies() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for item in environment["dependencies"]:
        if isinstance(item, dict):  # a `pip:` sub-list, for packages conda-forge lacks
            for line in item.get("pip", []):
                requirement = Requirement(line)
                found[canonicalize_name(requirement.name)] = str(requirement.specifier)
            continue
        name, spec = CONDA_SPEC.match(item).groups()
        found[canonicalize_name(name)] = spec
    return found


def test_environment_uses_conda_forge():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert environment["channels"] == ["conda-forge"]


def test_environment_pins_python_within_requires_python():
    spec = conda_dependencies().get("python")
    assert spec, "environment.yml must pin python"
    match = re.fullmatch(r"=(3\.\d+)", spec)
    assert match, f"pin python to one minor version, e.g. python=3.11 (found python{spec})"
    requires = SpecifierSet(pyproject()["project"]["requires-python"])
    assert Version(match.group(1)) in requires


def test_environment_has_the_runtime_packages_of_pyproject():
    runtime = runtime_requirements()
    conda = {name: spec for name, spec in conda_dependencies().items() if name not in CONDA_ONLY}
    assert sorted(conda) == sorted(runtime), (
        "environment.yml and pyproject.toml [project].dependencies list different packages"
    )
    for name, specifier in runtime.items():
        assert SpecifierSet(conda[name]) == specifier, (
            f"{name}: environment.yml says {conda[name]!r}, pyproject.toml says {str(specifier)!r}"
        )


def test_environment_has_jupyterlab():
    assert "jupyterlab" in conda_dependencies()


def test_postbuild_installs_dlkit_from_the_repository():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable"
    text = post_build.read_text(encoding="utf-8")
    assert text.startswith("#!")
    assert re.search(r"^pip install --no-deps -e \.$", text, re.MULTILINE)


def repo2docker() -> str:
    executable = Path(sys.executable).parent / "jupyter-repo2docker"
    if executable.exists():
        return str(executable)
    found = shutil.which("jupyter-repo2docker")
    if found is None:
        pytest.skip("jupyter-repo2docker is not installed")
    return found


def test_repo2docker_dockerfile_installs_environment_then_runs_postbuild():
    """Render Binder's Dockerfile (no Docker needed) and check what it installs, in which order."""
    result = subprocess.run(
        [repo2docker(), "--no-build", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    dockerfile = result.stdout
    assert "Building conda environment for python=3.11" in result.stderr
    update = 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"'
    environment_update = dockerfile.index(update)
    assert dockerfile.index("COPY --chown=0:0 src/environment.yml") < environment_update
    copy_repository = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    run_post_build = dockerfile.index("RUN ./postBuild")
    assert environment_update < copy_repository < run_post_build


# ---------------------------------------------------------------------------------------------
# README's layout table

# Folders that are build output or caches, never part of the layout.
NOT_LAYOUT = {"_build", "node_modules", "__pycache__", "build", "dist"}


def readme_layout_paths() -> set[str]:
    """The first column of README.md's layout table, e.g. {"chapters/", "tools/course.py", ...}."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Layout"):]
    paths = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            first_column = line.split("|")[1]
            paths.update(re.findall(r"`([^`]+)`", first_column))
    return paths


def test_readme_layout_lists_every_folder_and_tool():
    listed = readme_layout_paths()
    folders = [path for path in sorted(ROOT.iterdir())
               if path.is_dir() and path.name not in NOT_LAYOUT and not path.name.endswith(".egg-info")
               and (not path.name.startswith(".") or path.name == ".ci")]
    expected = [f"{path.name}/" for path in folders if path.name != ".ci"] + [".ci/run", "book/_ext/"]
    expected += [f"tools/{path.name}" for path in sorted((ROOT / "tools").iterdir())
                 if path.is_file() and path.name != "__init__.py"]
    missing = [path for path in expected if path not in listed]
    assert not missing, f"README.md's layout table does not list {missing}"
    gone = [path for path in listed if not (ROOT / path.rstrip("/")).exists()]
    assert not gone, f"README.md's layout table lists {gone}, which do not exist"
