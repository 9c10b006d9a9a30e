# Test corpus: programs run natively and under the loader by tests/t_progs.sh.
# Test subjects, not project code: built without sanitizers.
P := $(B)/tests/progs
PCC := $(CC) $(CSTD) $(WARN) -O2 -g
PROGS := $(addprefix $(P)/,auxv-dyn auxv-nopie auxv-static auxv-spie \
          hello-dyn hello-nopie hello-static hello-spie dlopen threads threads-static \
          bigbss bigbss-static align2m align2m-spie execstack tls tls-static mallocheavy \
          forkexec libprogtls.so)

$(P)/%-dyn: tests/progs/%.c
	@mkdir -p $(@D)
	$(PCC) -fPIE -pie -o $@ $<
$(P)/%-nopie: tests/progs/%.c
	@mkdir -p $(@D)
	$(PCC) -fno-PIE -no-pie -o $@ $<
$(P)/%-static: tests/progs/%.c
	@mkdir -p $(@D)
	$(PCC) -DPROGS_STATIC -static -o $@ $< -pthread
$(P)/%-spie: tests/progs/%.c
	@mkdir -p $(@D)
	$(PCC) -fPIE -static-pie -o $@ $<
$(P)/dlopen: tests/progs/dlopen.c
	$(PCC) -o $@ $< -ldl
$(P)/threads: tests/progs/threads.c
	$(PCC) -o $@ $< -pthread
$(P)/tls: tests/progs/tls.c
	$(PCC) -o $@ $< -pthread -ldl
$(P)/libprogtls.so: tests/progs/tlslib.c
	$(PCC) -fPIC -shared -o $@ $<
$(P)/forkexec: tests/progs/forkexec.c
	$(PCC) -o $@ $<
$(P)/bigbss: tests/progs/bigbss.c
	$(PCC) -o $@ $<
$(P)/align2m: tests/progs/align2m.c
	$(PCC) -Wl,-z,max-page-size=0x200000 -Wl,-z,separate-code -o $@ $<
$(P)/align2m-spie: tests/progs/align2m.c
	$(PCC) -fPIE -static-pie -Wl,-z,max-page-size=0x200000 -o $@ $<
$(P)/execstack: tests/progs/execstack.c
	$(PCC) -Wl,-z,execstack -o $@ $<
$(P)/mallocheavy: tests/progs/mallocheavy.c
	$(PCC) -o $@ $<

test-progs: $(PROGS)
$(P)/spcheck: tests/progs/spcheck.S
	@mkdir -p $(@D)
	$(CC) -nostdlib -static -o $@ $<
$(P)/spcheck-pie: tests/progs/spcheck.S
	@mkdir -p $(@D)
	$(CC) -nostdlib -static-pie -o $@ $<
test-progs: $(P)/spcheck $(P)/spcheck-pie
