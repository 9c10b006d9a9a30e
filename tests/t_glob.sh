#!/bin/bash
# selected.conf glob matching, table-driven (tests/unit/globcheck.c).
. "$SRC/tests/lib/common.sh"
"$BUILD/tests/globcheck"
