# The program of tests/t_trace_fds.sh: descriptors of every kind -yy
# names (sockets of each family, devices, pidfds), compared under strace
# and trace.
TRACE_FDS := $(B)/tests/trace
test-progs: $(TRACE_FDS)/fds

$(TRACE_FDS)/fds: tests/trace/fds.c tests/trace_fds.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
