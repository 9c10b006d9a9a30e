# The program of tests/t_trace_signal.sh: the calls of trace's signal and
# time decoders, made deterministically (tests/trace/signal.c).
TRACE_SIG := $(B)/tests/trace
test-progs: $(TRACE_SIG)/signal

$(TRACE_SIG)/signal: tests/trace/signal.c tests/trace_signal.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
