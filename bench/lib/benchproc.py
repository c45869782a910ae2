"""What the bench's Python helpers (reaper.py, stdin-closer.py) share: dying with the whole tree, and
speaking JSON lines to the bench."""
import json, os, signal, subprocess, sys


def die_with_tree(workers):
    """On SIGTERM/SIGINT: SIGKILL every worker by its pid (spawnWorker's have process groups of their
    own), then this whole process group, and exit 3."""

    def die(*_):
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        finally:
            os._exit(3)

    signal.signal(signal.SIGTERM, die)
    signal.signal(signal.SIGINT, die)
    return die


def emit(obj):
    """One JSON line to the bench."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def open_log(spec):
    """The file the children's stderr goes to (spec["log"]), or /dev/null."""
    return open(spec["log"], "ab") if spec.get("log") else subprocess.DEVNULL
