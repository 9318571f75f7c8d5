#!/bin/sh
# Check the project's virtual environment before make uses it. Prints "ok" when make may go on;
# otherwise says on stderr what is wrong and what to do, and prints nothing on stdout.
#
#   sh tools/check_venv.sh VENV PYTHON [--fresh]
#
# VENV is the environment folder (.venv), PYTHON the interpreter that creates it when it is missing
# (make's PYTHON, python3 by default). With --fresh the environment is about to be removed
# (make distclean ...), so only PYTHON is checked.
#
# - No VENV: PYTHON must exist, be new enough (pyproject.toml's requires-python) and have venv.
# - VENV/bin/python must run (it does not when the Python it was made with was removed) and be new
#   enough (a VENV made with an old Python would fail every later pip install).
# - Set up but broken: a program make runs (jupyter-book, pytest, jupyter-lab) that is missing while
#   its package is installed, or whose interpreter is gone (the folder was moved or copied), stops make
#   with advice. Packages missing from a set-up
#   VENV remove its set-up stamp (VENV/.installed*), so that make installs them again.
set -u

venv=${1:?usage: check_venv.sh VENV PYTHON [--fresh]}
python=${2:?usage: check_venv.sh VENV PYTHON [--fresh]}
fresh=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)

minimum=$(sed -n 's/^requires-python *= *">= *\([0-9][0-9.]*\)".*/\1/p' "$root/pyproject.toml")
minimum=${minimum:-3.10}
minimum_major=${minimum%%.*}
minimum_minor=${minimum#*.}
minimum_minor=${minimum_minor%%.*}

fail() {
    printf '\n%s\n\n' "$*" >&2
    exit 1
}

# "3.11" for an interpreter that runs, nothing for one that does not.
version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

new_enough() {
    major=${1%%.*}
    minor=${1#*.}
    [ "$major" -gt "$minimum_major" ] || { [ "$major" -eq "$minimum_major" ] && [ "$minor" -ge "$minimum_minor" ]; }
}

# A new enough Python on PATH, as advice: "python3.12", or nothing.
newer_python() {
    for candidate in python3.14 python3.13 python3.12 python3.11 python3.10 python3; do
        found=$(version_of "$candidate") || continue
        if [ -n "$found" ] && new_enough "$found"; then
            echo "$candidate"
            return
        fi
    done
}

use_python_advice() {
    candidate=$(newer_python)
    if [ -n "$candidate" ]; then
        echo "$candidate is installed: run make PYTHON=$candidate <target>"
    else
        echo "Install Python $minimum or newer (python.org; Debian/Ubuntu: apt-get install python3 python3-venv;
macOS: brew install python), then run make PYTHON=python3.X <target> with its name"
    fi
}

check_python() {
    found=$(version_of "$python")
    if [ -z "$found" ]; then
        fail "make creates $venv with '$python', which does not run here. The course needs Python $minimum+.
$(use_python_advice)"
    fi
    if ! new_enough "$found"; then
        fail "'$python' is Python $found; the course needs Python $minimum or newer to create $venv.
$(use_python_advice)"
    fi
    if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
        fail "'$python' (Python $found) cannot create a virtual environment with pip: its venv/ensurepip
modules are missing. Debian/Ubuntu: apt-get install python3-venv (or python$found-venv)."
    fi
}

if [ "$fresh" = "--fresh" ] || { [ ! -e "$venv" ] && [ ! -L "$venv" ]; }; then
    check_python
    echo ok
    exit 0
fi

# Where a chain of symbolic links ends (it may not exist): .venv/bin/python -> python3 -> /usr/bin/...
link_end() {
    path=$1
    hops=0
    while [ -L "$path" ] && [ "$hops" -lt 20 ]; do
        next=$(readlink "$path")
        case "$next" in
            /*) path=$next ;;
            *) path=$(dirname "$path")/$next ;;
        esac
        hops=$((hops + 1))
    done
    echo "$path"
}

interpreter="$venv/bin/python"
found=$(version_of "$interpreter")
if [ -z "$found" ]; then
    target=""
    [ -L "$interpreter" ] && target=$(link_end "$interpreter")
    fail "$venv is broken: $interpreter does not run${target:+ (it points to $target)}; the Python it
was made with was probably removed or upgraded. Remove it and set it up again:
  make distclean
  make <target>              (or make PYTHON=python3.X <target>, Python $minimum or newer)"
fi
if ! new_enough "$found"; then
    fail "$venv was made with Python $found; the course needs Python $minimum or newer. Remove it and
set it up again with a newer Python:
  make distclean
  $(use_python_advice)"
fi

stamps=""
for stamp in "$venv"/.installed*; do
    [ -e "$stamp" ] && stamps="$stamps $stamp"
done

if [ -z "$stamps" ]; then
    if ! "$interpreter" -I -c 'import pip' 2>/dev/null; then
        fail "$venv has no pip (was it created without ensurepip? Debian/Ubuntu: apt-get install
python3-venv). Remove it and set it up again: make distclean, then make <target>."
    fi
    echo ok
    exit 0
fi

# The programs make runs from a set-up environment (program:package), and the extras each stamp
# installed.
for stamp in $stamps; do
    case "$stamp" in
        */.installed-book) programs="jupyter-book:jupyter-book"; extras="book" ;;
        */.installed-lab) programs="jupyter-lab:jupyterlab"; extras="book lab" ;;
        */.installed) programs="pytest:pytest"; extras="book test course" ;;
        *) continue ;;
    esac
    for item in $programs; do
        program=${item%%:*}
        package=${item#*:}
        script="$venv/bin/$program"
        if [ ! -f "$script" ]; then
            if "$interpreter" -I -c "from importlib import metadata; metadata.distribution('$package')" \
                    2>/dev/null; then
                fail "$venv is damaged: $script is missing although its package is installed.
Remove it and set it up again:
  make distclean
  make <target>"
            fi
            continue  # the package is missing too: installed again below
        fi
        shebang=$(sed -n '1s/^#! *\([^ ]*\).*/\1/p' "$script")
        if [ -n "$shebang" ] && [ ! -x "$shebang" ]; then
            fail "$venv was moved or copied: $script still starts $shebang, which does not exist.
Remove it and set it up again:
  make distclean
  make <target>"
        fi
    done
    # Every requirement of dlkit (with these extras) must be installed, and dlkit itself; -I: only
    # what the environment holds (not the working folder, where an editable install leaves its
    # dlkit.egg-info, nor PYTHONPATH).
    missing=$("$interpreter" -I - $extras <<'PYTHON'
import re
import sys
from importlib import metadata

extras = set(sys.argv[1:])
try:
    requirements = metadata.requires("dlkit") or []
except metadata.PackageNotFoundError:
    print("dlkit")
    sys.exit()
missing = []
for line in requirements:
    name = re.match(r"[A-Za-z0-9._-]+", line).group(0)
    extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", line)
    if extra and extra.group(1) not in extras:
        continue
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        missing.append(name)
print(" ".join(missing))
PYTHON
)
    if [ -n "$missing" ]; then
        echo "$venv lacks packages it was set up with ($missing): installing them again." >&2
        rm -f "$stamp"
    fi
done
echo ok
