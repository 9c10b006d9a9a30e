# tools.mk — the programs users type: selctl (the list, the binfmt entry,
# the backends), runsel (one run of one program) and runsel-cc (built in
# wrapperabi.mk: it is the wrapper SDK's); and the benchmark programs.
TOOLS := $(BIN)/selctl $(BIN)/runsel $(BIN)/runsel-cc

# selctl shares the loader's list parser and decision code, so what it
# reports is what the loader does.
SELCTL_OBJS := $(patsubst %.c,$(B)/host/%.o,$(wildcard tools/selctl/*.c))
$(SELCTL_OBJS): INC := -include $(CONFIG_H) -Iloader -Iselconf -Iinternal -Iwrapperabi/include -Ikmod \
                       -Ikfilter
# With the kernel placement's compiler (kfilter/, libseccomp) for FILE.rules,
# and the runtime's name tables and word splitter it uses.
$(BIN)/selctl: $(SELCTL_OBJS) $(KFILTER_OBJS) $(LOADER_HOST_OBJS) $(B)/host/libselconf.a \
               $(B)/host/wrapperabi/lib/names.o $(B)/host/wrapperabi/lib/str.o \
               $(B)/host/wrapperabi/lib/opts.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lseccomp

# runsel: execs the loader with a request; shares the list parser to check
# the request up front, the runtime's #! reader (a pure function) to
# unwrap scripts as the kernel would and its table of strace's groups of
# calls, the generated call and errno names to check strace's expressions,
# and the loader's reading of wrapper images (their option keys, whether
# they enforce) and of wrapper names.
# It is also the supervisor of --placement=process (supervisor/: the
# seccomp filter is libseccomp's; the selection, the loader's own, so a
# program's stack is the same in either placement).
RUNSEL_OBJS := $(patsubst %.c,$(B)/host/%.o,$(wildcard tools/runsel/*.c)) \
               $(patsubst %.c,$(B)/host/%.o,$(wildcard supervisor/*.c)) \
               $(B)/host/wrapperabi/lib/shebang.o $(B)/host/wrapperabi/lib/sysclass.o \
               $(B)/host/wrapperabi/lib/names.o $(B)/host/wrapperabi/lib/opts.o \
               $(B)/host/wrapperabi/lib/str.o
$(RUNSEL_OBJS): INC := -include $(CONFIG_H) -Iselconf -Iwrapperabi/include -Iinternal -Iloader \
                       -Isupervisor -Ikfilter -I$(GEN)
$(RUNSEL_OBJS): | $(GEN_TABLES)
$(BIN)/runsel: $(RUNSEL_OBJS) $(KFILTER_OBJS) $(LOADER_HOST_OBJS) $(B)/host/libselconf.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lseccomp -lpthread

$(SELCTL_OBJS): | $(GEN_TABLES)
$(SELCTL_OBJS) $(RUNSEL_OBJS): tools/tools.mk Makefile
DEPS += $(SELCTL_OBJS:.o=.d) $(RUNSEL_OBJS:.o=.d)

# Exec benchmark: a driver and its subjects (not part of make test).
$(B)/bench/bench-exec: tools/bench/bench-exec.c tools/tools.mk
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
$(B)/bench/true-dyn: tools/bench/true.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<
$(B)/bench/true-static: tools/bench/true.c
	@mkdir -p $(@D)
	$(CC) -O2 -static -o $@ $<
# Per-call subject with in-process reference mechanisms (seccomp RET_TRAP,
# seccomp user notification, bare SUD) next to native.
$(B)/bench/mech: tools/bench/mech.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
BENCH_PROGS := $(B)/bench/bench-exec $(B)/bench/true-dyn $(B)/bench/true-static $(B)/bench/mech
