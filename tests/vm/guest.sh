#!/bin/bash
# Runs inside vmtest's guest (Debian's kernel, selredir.ko loaded): the
# wrapper suite on the kernel-module backend, then the module's own tests.
#   tests/vm/guest.sh BUILD
set -u
BUILD=${1:?usage: guest.sh BUILD}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
[ -c /dev/selredir ] || { echo "guest.sh: /dev/selredir missing: not in vmtest's guest?"; exit 1; }
export TEST_BACKEND=kmod LOGDIR=/tmp/vmtest-logs STREAM=${STREAM:-1}
export TESTS=${VM_TESTS:-"t_wrap t_trace t_trace_opts t_trace_delivery t_count t_sandbox t_fault t_security t_runtimes t_fastpath $SRC/tests/vm/t_kmod.sh"}
exec "$SRC/tests/run.sh" "$BUILD"
