# The program of tests/t_trace_file.sh: fcntl's commands (tests/trace/fcntl.c).
test-progs: $(B)/tests/trace/fcntl

$(B)/tests/trace/fcntl: tests/trace/fcntl.c tests/trace_file.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $<
