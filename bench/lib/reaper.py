"""The top of one benchmark process tree: reaper.py SPEC_JSON

A child subreaper (prctl PR_SET_CHILD_SUBREAPER) that starts the "middle" (the supervisor that the bench
SIGKILLs), so that orphaned workers are reparented here, not to PID 1. Protocol on stdin/stdout (JSON lines):

  -> {"type":"ready","middle":PID,"workers":[PID,...]}   once the middle reports every worker ready
  <- "kill\n"                                             from the bench, when the machine is idle
  -> {"type":"result","killAt":NS,"exits":[{"pid":P,"at":NS|null}]}

Exit times are exact, not polled: each worker gets a pidfd (pidfd_open), which becomes readable the
moment the process has exited (it is a zombie then), and poll() wakes on it. killAt is taken right
before kill(2). Both are CLOCK_MONOTONIC (time.monotonic_ns), the clock of Node's process.hrtime.

spec.zombieParent: do not reap the killed middle until the end, so it stays a zombie (a dead parent
that kill(pid, 0) still finds). Otherwise the middle is reaped at once, as a prompt init would.
Workers still running at spec.timeoutMs after the kill are SIGKILLed and reported with at = null.
On SIGTERM/SIGINT/stdin EOF the whole process group (this tree) is SIGKILLed, and every worker by its pid
(a worker started by spawnWorker has a process group of its own).
"""
import ctypes, json, os, select, signal, subprocess, sys, time

from benchproc import die_with_tree, emit, open_log

PR_SET_CHILD_SUBREAPER = 36
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed: errno %d" % ctypes.get_errno())

spec = json.loads(sys.argv[1])


workers = []
die = die_with_tree(workers)


log = open_log(spec)
middle = subprocess.Popen(spec["middle"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                          cwd=spec.get("cwd"))
line = middle.stdout.readline()
if not line:
    emit({"type": "error", "message": "middle exited before it was ready"})
    die()
info = json.loads(line)
workers.extend(info["workers"])
pidfds = {}
for pid in workers:
    pidfds[os.pidfd_open(pid)] = pid
emit({"type": "ready", "middle": middle.pid, "workers": workers})

command = sys.stdin.readline()
if command.strip() != "kill":
    die()

kill_at = time.monotonic_ns()
os.kill(middle.pid, signal.SIGKILL)
if not spec.get("zombieParent"):
    os.waitpid(middle.pid, 0)

poller = select.poll()
for fd in pidfds:
    poller.register(fd, select.POLLIN)
exits = {}
deadline = kill_at + int(spec.get("timeoutMs", 10000)) * 1_000_000
while len(exits) < len(workers):
    left_ms = (deadline - time.monotonic_ns()) / 1e6
    if left_ms <= 0:
        break
    for fd, _ in poller.poll(max(1, int(left_ms))):
        at = time.monotonic_ns()
        pid = pidfds[fd]
        exits[pid] = at
        poller.unregister(fd)
        os.close(fd)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass

for pid in workers:
    if pid not in exits:
        exits[pid] = None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
# Reap everything left: the zombie middle, SIGKILLed stragglers.
end = time.monotonic() + 5
while time.monotonic() < end:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        time.sleep(0.005)
emit({"type": "result", "killAt": kill_at, "exits": [{"pid": p, "at": exits[p]} for p in workers]})
