# The program of tests/t_trace_net.sh: socket calls made deterministically
# (fixed ports, paths, nl_pid), compared under strace and trace.
TRACE_NET := $(B)/tests/trace
test-progs: $(TRACE_NET)/net

$(TRACE_NET)/net: tests/trace/net.c tests/trace_net.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
