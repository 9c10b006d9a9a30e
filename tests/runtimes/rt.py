"""rt.py — a Python program for tests/t_runtimes.sh: threads, a signal
handler, faulthandler (which sets an alternate signal stack), child
processes and file I/O.  The output is the same natively and under runsel."""
import faulthandler
import os
import signal
import subprocess
import tempfile
import threading

faulthandler.enable()
results = [0] * 8


def work(k):
    path = os.path.join(tempfile.gettempdir(), "rt-py-%d-%d" % (os.getpid(), k))
    with open(path, "w") as f:
        for j in range(500):
            f.write("%d %d\n" % (k, j))
    with open(path) as f:
        results[k] = len(f.readlines())
    os.unlink(path)


threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("threads:", sum(results), "lines")

got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
print("signal: handler ran", got == [signal.SIGUSR1])

out = subprocess.run(["/bin/sh", "-c", "echo from sh; exit 5"], capture_output=True)
print("child:", out.stdout.decode().strip(), "status", out.returncode)
print("child:", subprocess.check_output(["/bin/echo", "spawned"]).decode().strip())
