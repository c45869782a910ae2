"""The parent of the stdin benchmark's workers, holding the write end of each one's stdin:
stdin-closer.py SPEC_JSON. Protocol on stdin/stdout (JSON lines), as reaper.py:

  -> {"type":"ready","workers":[PID,...]}       once every worker has written its ready file
  <- "close\n"                                   from the bench, when the machine is idle
  -> {"type":"result","exits":[{"pid":P,"closeAt":NS,"at":NS|null,"code":C|null}]}

spec: {argv, env, cwd, dir, log, n, gapMs, timeoutMs}. Worker i gets BENCH_READY=<dir>/ready-<i>; workers
start one at a time. On "close" the workers' stdins are closed ONE AT A TIME: gapMs of quiet, closeAt =
time.monotonic_ns() right before close(2), then poll() on the worker's pidfd (readable the moment it has
exited) until timeoutMs; at = the exit time (null: still running, then SIGKILLed), code = its exit status.
Each exit is alone on the machine: what is measured is the end of stdin, not exits queueing.
On SIGTERM/SIGINT/stdin EOF the whole process group (this helper and its workers) is SIGKILLed.
"""
import json, os, select, signal, subprocess, sys, time

from benchproc import die_with_tree, emit, open_log

spec = json.loads(sys.argv[1])


log = open_log(spec)
workers = []
die = die_with_tree([])  # the workers share this process group
for i in range(spec["n"]):
    ready = os.path.join(spec["dir"], "ready-%d" % i)
    env = dict(spec["env"], BENCH_READY=ready)
    p = subprocess.Popen(spec["argv"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log, env=env,
                         cwd=spec.get("cwd"))
    deadline = time.monotonic() + 20
    while not os.path.exists(ready):
        if p.poll() is not None or time.monotonic() > deadline:
            emit({"type": "error", "message": "worker %d exited or was not ready in 20 s" % i})
            die()
        time.sleep(0.005)
    workers.append((p, os.pidfd_open(p.pid)))
emit({"type": "ready", "workers": [p.pid for p, _ in workers]})

if sys.stdin.readline().strip() != "close":
    die()
exits = []
for p, fd in workers:
    time.sleep(spec.get("gapMs", 100) / 1000)
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    close_at = time.monotonic_ns()
    p.stdin.close()
    at = None
    if poller.poll(int(spec.get("timeoutMs", 5000))):
        at = time.monotonic_ns()
    else:
        p.kill()
    os.close(fd)
    code = p.wait()
    exits.append({"pid": p.pid, "closeAt": close_at, "at": at, "code": code if at is not None else None})
emit({"type": "result", "exits": exits})
