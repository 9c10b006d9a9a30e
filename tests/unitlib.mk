# Table-driven unit tests of the wrapper runtime (wrapperabi/lib), of
# fault's option parsers, sandbox's path decisions and trace's local time, run on the host by
# tests/t_unit.sh and tests/t_unit_sandbox.sh (sanitized
# under `make check`: host code uses $(HOST_CFLAGS)).
#
# The runtime is freestanding; compiled here with the host's compiler and
# libc headers, file by file, into $(B)/tests/unitlib/:
#   - mem.c defines memcpy, memmove, memset and memcmp: renamed rsu_* so
#     they neither replace libc's (and ASan's) nor go untested;
#   - entry.c is the real image entry: tests/unit/stubhost.c is the host it
#     is handed (system calls through libc's syscall()).
# fault.c is #included by tests/unit/faultcheck.c, its static parsers and
# state with it, unchanged.  rs_glob_match's matcher comes from the host
# build of selconf/ (libselconf.a).
UNITLIB := $(B)/tests/unitlib
UNITLIB_CFLAGS = $(HOST_CFLAGS) $(DEPFLAGS) -Iwrapperabi/include -Iinternal -Iselconf -Itests/unit -I$(GEN)
UNITLIB_RENAME := -Dmemcpy=rsu_memcpy -Dmemmove=rsu_memmove -Dmemset=rsu_memset -Dmemcmp=rsu_memcmp
UNITLIB_OBJS := $(patsubst wrapperabi/lib/%.c,$(UNITLIB)/%.o,$(WABI_LIB_SRCS)) $(UNITLIB)/stubhost.o

$(UNITLIB)/%.o: wrapperabi/lib/%.c | $(GEN_TABLES)
	@mkdir -p $(@D)
	$(CC) $(UNITLIB_CFLAGS) -c -o $@ $<
$(UNITLIB)/mem.o: wrapperabi/lib/mem.c
	@mkdir -p $(@D)
	$(CC) $(UNITLIB_CFLAGS) $(UNITLIB_RENAME) -fno-builtin -fno-tree-loop-distribute-patterns -c -o $@ $<
$(UNITLIB)/stubhost.o: tests/unit/stubhost.c
	@mkdir -p $(@D)
	$(CC) $(UNITLIB_CFLAGS) -c -o $@ $<
$(UNITLIB_OBJS): tests/unitlib.mk
$(UNITLIB)/libwabi-host.a: $(UNITLIB_OBJS)
	rm -f $@ && ar rcs $@ $^

UNITLIB_TESTS := $(B)/tests/fmtcheck $(B)/tests/libcheck $(B)/tests/faultcheck $(B)/tests/shebangcheck \
                 $(B)/tests/sandboxcheck $(B)/tests/memcheck $(B)/tests/printcheck $(B)/tests/progcheck \
                 $(B)/tests/tzcheck $(B)/tests/outcheck $(B)/tests/rulecheck $(B)/tests/jsoncheck
UNITLIB_LIBS := $(UNITLIB)/libwabi-host.a $(B)/host/libselconf.a
$(B)/tests/fmtcheck: tests/unit/fmtcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
$(B)/tests/libcheck: tests/unit/libcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
# rs_shebang against the running kernel: the test is its rows' interpreter.
$(B)/tests/shebangcheck: tests/unit/shebangcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
# The sandbox's path decisions (run by tests/t_unit_sandbox.sh): the
# wrapper's policy header (wrapperabi/wrappers/sandbox_policy.h) on this
# host build of the runtime.
$(B)/tests/sandboxcheck: tests/unit/sandboxcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -Iwrapperabi/wrappers -o $@ $< $(UNITLIB_LIBS)
$(B)/tests/faultcheck: tests/unit/faultcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -Iwrapperabi/wrappers -o $@ $< $(UNITLIB_LIBS)
# The memory accessors (copyin.c, copyout.c) on a mapping of RW, RO,
# PROT_NONE and unmapped pages; the line buffer and its printers (print.c).
$(B)/tests/memcheck: tests/unit/memcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
$(B)/tests/printcheck: tests/unit/printcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
# Where the program is (program.c, entry.c: ABI 1.4), under the stub host
# in process, as a 1.3 host and as a supervisor would answer.
$(B)/tests/progcheck: tests/unit/progcheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
# trace's local time (wrapperabi/wrappers/trace/tz.c, compiled in as it
# is) against glibc's localtime_r.
$(B)/tests/tzcheck: tests/unit/tzcheck.c wrapperabi/wrappers/trace/tz.c wrapperabi/wrappers/trace/tz.h \
        $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -Iwrapperabi/wrappers/trace -o $@ $< wrapperabi/wrappers/trace/tz.c $(UNITLIB_LIBS)
# trace's log writer (output.c) with a line written from inside its own
# write, as a signal hook does.
$(B)/tests/outcheck: tests/unit/outcheck.c wrapperabi/wrappers/trace/output.c \
        wrapperabi/wrappers/trace/output.h $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -I$(B)/gen -Iwrapperabi/wrappers/trace -Wl,--wrap=rs_write_all -o $@ $< \
	    wrapperabi/wrappers/trace/output.c $(UNITLIB_LIBS)
# A wrapper's rules (internal/runrules.h): matching, the tables refused,
# and the overlap test against brute force.
$(B)/tests/rulecheck: tests/unit/rulecheck.c internal/runrules.h $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
# The JSON record pieces (json.c): escaper, RFC 3339 times (format=json).
$(B)/tests/jsoncheck: tests/unit/jsoncheck.c $(UNITLIB_LIBS) tests/unitlib.mk
	$(CC) $(UNITLIB_CFLAGS) -o $@ $< $(UNITLIB_LIBS)
test-progs: $(UNITLIB_TESTS)
DEPS += $(UNITLIB_OBJS:.o=.d) $(UNITLIB_TESTS:=.d)
