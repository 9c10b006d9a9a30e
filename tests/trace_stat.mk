# The program of tests/t_trace_stat.sh: the stat family's calls (trace's
# stat.c, dirent.c, statfs.c) made with known arguments.
TRACE_STAT := $(B)/tests/trace/stat
test-progs: $(TRACE_STAT)

$(TRACE_STAT): tests/trace/stat.c tests/trace_stat.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $< -pthread
