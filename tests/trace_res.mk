# The program of tests/t_trace_res.sh: known calls of trace's resource,
# creds, sched, prctl, poll, desc, mem and ioctl decoders (tests/trace/res.c).
TR := $(B)/tests/trace
test-progs: $(TR)/res

$(TR)/res: tests/trace/res.c tests/trace_res.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
