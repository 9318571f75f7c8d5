"""Run a student's kernel in a bubblewrap sandbox (``bwrap``, Debian's ``bubblewrap`` package).

Only the kernel runs student code, so only the kernel is sandboxed; nbgrader itself (which reads the
notebook as data, checks it and writes the gradebook) runs outside. Inside the sandbox the kernel sees:

- read-only: the system's programs and libraries (``/usr``), this Python and its virtual environment,
  and the ``dlkit`` package folder (the check cells import it), nothing else of the repository;
- read-only at ``/home/student/submission``: the folder nbgrader runs the notebook in, which holds this
  one submission's copy (nbgrader's ``autograded/<student>/<chapter>/`` of a private copy of the course);
- writable: ``/home/student/work`` (its current folder, a copy of that folder) and ``/tmp``, both
  in-memory and size-limited, gone when the kernel ends, and the folder holding the kernel's connection
  file and sockets;
- at most :data:`MEMORY_BYTES` of address space;
- no network (its own empty network namespace), its own process, user, IPC and host-name namespaces, no
  capabilities, and no further user namespaces.

The kernel talks to nbgrader over Unix sockets (ZeroMQ's ``ipc`` transport) in that shared folder: TCP
on 127.0.0.1 would not cross the network namespace.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

HOME = "/home/student"
SUBMISSION = f"{HOME}/submission"
WORK = f"{HOME}/work"
# Bytes of memory the kernel may fill with files (its work folder, and /tmp).
SCRATCH_BYTES = 256 * 1024 * 1024
# Address space of the kernel (ulimit -v): a notebook asking for more gets a MemoryError instead of
# starving the machine. The chapters need well under 1 GB.
MEMORY_BYTES = 4 * 1024**3
# The few files of /etc a Python kernel reads (the dynamic linker's cache, the time zone, fonts).
_ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts"]
# bwrap dies of SIGINT, killing the kernel with it; the kernel is interrupted with SIGINT (a time limit).
# An ignored signal stays ignored across exec, and ipykernel sets its own SIGINT handler while it runs a
# cell, so bwrap survives and the running cell gets its KeyboardInterrupt.
_IGNORE_SIGINT = ["/bin/sh", "-c", 'trap "" INT; exec "$@"', "sh"]
# Inside: cap the memory, copy the submission into the work folder, then start the kernel.
_COPY_AND_RUN = ["/bin/sh", "-c", f"ulimit -v {MEMORY_BYTES // 1024}; "
                 f'cp -R {SUBMISSION}/. {WORK}/ 2>/dev/null; exec "$@"', "sh"]


def dlkit_dir() -> Path | None:
    """The ``dlkit`` package folder this Python imports, or None."""
    spec = importlib.util.find_spec("dlkit")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def _python_mounts() -> list[tuple[str, str]]:
    """(host path, sandbox path) pairs that make this Python and its packages work inside."""
    mounts = []
    for prefix in dict.fromkeys([sys.base_prefix, sys.prefix]):
        real = os.path.realpath(prefix)
        mounts.append((real, real))
        if real != prefix:
            mounts.append((real, prefix))
    package = dlkit_dir()
    if package is not None:
        mounts.append((str(package), str(package)))
    return mounts


class Sandbox:
    """A bwrap command line around a kernel command."""

    def __init__(self, bwrap: str, scratch_bytes: int = SCRATCH_BYTES):
        self.bwrap = bwrap
        self.scratch_bytes = scratch_bytes

    def command(self, argv: list[str], *, submission: Path, runtime: Path) -> list[str]:
        """``argv`` run in the sandbox, with ``submission`` read-only and ``runtime`` (the kernel's
        connection file and sockets) writable, both at their own paths."""
        args = [*_IGNORE_SIGINT, self.bwrap,
                "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
                "--uid", "1000", "--gid", "1000", "--hostname", "grading", "--die-with-parent",
                "--ro-bind", "/usr", "/usr"]
        for name in ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]:
            path = Path("/") / name
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        for name in _ETC:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        size = str(self.scratch_bytes)
        args += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/tmp"]
        # After the empty /tmp, so that a Python or a repository that lives under /tmp stays visible
        for source, target in _python_mounts():
            args += ["--ro-bind", source, target]
        args += ["--dir", HOME, "--ro-bind", str(submission), SUBMISSION, "--size", size, "--tmpfs", WORK,
                 "--bind", str(runtime), str(runtime), "--remount-ro", "/", "--chdir", WORK, "--clearenv"]
        package = dlkit_dir()
        env = {
            "HOME": WORK, "TMPDIR": "/tmp", "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
            "PYTHONPATH": str(package.parent) if package else "",
            "MPLBACKEND": "agg", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
            "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "NBGRADER_EXECUTION": "autograde",
            # Grading draws no static widget views (dlkit/widgets/base.py): seconds saved per widget
            "DLKIT_STATIC_VIEWS": "0",
            # One BLAS thread per kernel: --jobs kernels share the cores.
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        }
        for name, value in env.items():
            args += ["--setenv", name, value]
        return [*args, "--", *_COPY_AND_RUN, *argv]

    def problem(self) -> str | None:
        """Why the sandbox cannot run a Python with dlkit here (None when it can)."""
        with tempfile.TemporaryDirectory() as folder:
            submission, runtime = Path(folder, "submission"), Path(folder, "runtime")
            submission.mkdir()
            runtime.mkdir()
            command = self.command([sys.executable, "-c", "import dlkit, ipykernel"],
                                   submission=submission, runtime=runtime)
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired) as error:
                return str(error)
        if result.returncode != 0:
            return (result.stderr or result.stdout).strip().splitlines()[-1]
        return None


def find_sandbox() -> tuple[Sandbox | None, str]:
    """The sandbox to grade in, and a sentence for the instructor saying what protects the grading."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return None, ("NO SANDBOX: bubblewrap (bwrap) is not installed, so student code runs UNPROTECTED "
                      "with your permissions (it can read the solutions and change any file you can). "
                      "Install it (Debian/Ubuntu: apt-get install bubblewrap) before grading real work.")
    sandbox = Sandbox(bwrap)
    problem = sandbox.problem()
    if problem is not None:
        return None, (f"NO SANDBOX: bubblewrap is installed but cannot start a kernel here ({problem}); "
                      "student code runs UNPROTECTED with your permissions. Unprivileged user namespaces "
                      "must be allowed (sysctl kernel.unprivileged_userns_clone=1, or AppArmor's "
                      "kernel.apparmor_restrict_unprivileged_userns=0).")
    return sandbox, (f"Sandbox: bubblewrap ({bwrap}); student code sees only its own submission, "
                     "without network.")


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in :attr:`sandbox` (set by the grading worker before use).

    The kernel's working folder (nbclient passes nbgrader's folder for the submission as ``cwd``)
    becomes the sandbox's read-only submission folder."""

    sandbox: Sandbox | None = None
    runtime_root: str | None = None

    def __init__(self, **kwargs):
        runtime = Path(tempfile.mkdtemp(prefix="kernel-", dir=self.runtime_root))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(runtime / "k"))
        kwargs.setdefault("connection_file", str(runtime / "kernel.json"))
        super().__init__(**kwargs)
        self._runtime = runtime
        self._submission = Path.cwd()

    async def _async_pre_start_kernel(self, **kw):
        self._submission = Path(kw.get("cwd") or Path.cwd())
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        assert self.sandbox is not None, "SandboxKernelManager.sandbox is not set"
        return self.sandbox.command(argv, submission=self._submission, runtime=self._runtime)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._runtime, ignore_errors=True)
