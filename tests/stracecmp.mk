# The strace comparison (tests/stracecmp, tests/t_stracecmp.sh): its small
# C programs (threads, signals, sockets: corpus entries strace and runsel
# both trace), and `make stracecmp`, which runs the whole corpus and
# prints the report (also in $(B)/stracecmp/report.txt and report.json).
SC := $(B)/tests/stracecmp
SC_PROGS := $(addprefix $(SC)/,threads signals sockets)

$(SC_PROGS): $(SC)/%: tests/stracecmp/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $< -pthread

test-progs: $(SC_PROGS)

.PHONY: stracecmp
stracecmp: all
	/usr/bin/python3 tests/stracecmp/stracecmp.py run $(B)
