# The program of tests/t_trace_delivery.sh: signals delivered (tests/trace/delivery.c).
test-progs: $(B)/tests/trace/delivery

$(B)/tests/trace/delivery: tests/trace/delivery.c tests/trace_delivery.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
