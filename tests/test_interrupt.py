"""Ctrl-C during a multi-process build: exit 130 at once, one line and no traceback, no process left behind,
the previous outputs untouched (a real `kgraph build` in a subprocess, interrupted as a terminal would)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"),
]

SENTENCES = [
    "Le ministre {n} a rencontré mardi à Paris son homologue allemand pour parler de défense.",
    "La présidente {n} a condamné la Russie après une attaque contre un port de la mer Noire.",
    "Le Japon et le Royaume-Uni ont signé un accord de coopération sur les semi-conducteurs.",
    "Selon le porte-parole {n}, le sommet de Genève aura lieu au printemps prochain.",
]


def _corpus(folder: Path, count: int = 400) -> Path:
    folder.mkdir()
    for n in range(count):
        text = " ".join(SENTENCES[(n + i) % len(SENTENCES)].format(n=f"Durand{n}") for i in range(12))
        (folder / f"article-{n:03}.txt").write_text(text, encoding="utf-8")
    return folder


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def _default_sigint() -> None:
    # a test runner started in the background inherits SIGINT ignored; a terminal's kgraph would not
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_ctrl_c_ends_a_multi_worker_build_at_once_and_leaves_nothing(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    corpus = _corpus(tmp_path / "news")
    output = tmp_path / "out"
    output.mkdir()
    (output / "graph.json").write_text("previous build", encoding="utf-8")
    command = [sys.executable, "-m", "kgraph", "build", str(corpus), "-o", str(output), "--no-cache", "-q"]
    build = subprocess.Popen(
        [*command, "-j", "2", "--engine", engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_group(build.pid)) < 4 and time.monotonic() < deadline:  # workers running (or starting)
            time.sleep(0.1)
        # Dask: once its workers have started (a worker still importing Dask when Ctrl-C comes prints its own
        # KeyboardInterrupt: the start-up window is not covered)
        time.sleep(1.0 if engine == "local" else 6.0)
        assert build.poll() is None, "the build ended before it could be interrupted"
        os.killpg(build.pid, signal.SIGINT)
        time.sleep(0.3)
        os.killpg(build.pid, signal.SIGINT)  # an impatient second Ctrl-C
        _, stderr = build.communicate(timeout=10)  # a hang fails here; the 2 s target is measured in bench/
        deadline = time.monotonic() + 3
        while _group(build.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _group(build.pid)
    finally:
        if build.poll() is None or _group(build.pid):
            os.killpg(build.pid, signal.SIGKILL)
    message = stderr.decode()
    assert build.returncode == 130, message
    assert "Traceback" not in message, message
    assert "kgraph: interrupted" in message
    assert not left, f"processes left behind: {left}"
    assert (output / "graph.json").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in output.iterdir()) == ["graph.json"]
