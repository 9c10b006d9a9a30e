# Programs for tests/t_fastpath.sh (the rewriting fast path, issue #13):
# fp (dynamic, static) and a Go program making a known number of
# syscall.Getppid calls (built with tests/runtimes.mk's Go environment:
# no network, caches in the build dir).
FP := $(B)/tests/fastpath
FP_ABS := $(abspath $(FP))
test-progs: $(FP)/fp $(FP)/fp-static $(FP)/fpgo $(FP)/fpa.so $(FP)/fpb.so $(FP)/noprocmap

$(FP)/fp: tests/fastpath/fp.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -o $@ $< -pthread
# gcc -static leaves out .eh_frame_hdr (PT_GNU_EH_FRAME), without which
# no site can be proven (initmod/siteproof.c); asked for, the static
# program's sites are rewritten through near pages (it sits at 0x400000,
# far from runsel's cells).
$(FP)/fp-static: tests/fastpath/fp.c tests/fastpath.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g -static -Wl,--eh-frame-hdr -DFP_STATIC -o $@ $< -pthread
$(FP)/fpgo: tests/fastpath/go/main.go tests/fastpath/go/go.mod
	@mkdir -p $(@D)
	cd tests/fastpath/go && env $(GO_ENV) CGO_ENABLED=0 go build -o $(FP_ABS)/fpgo .
# Two libraries of one layout whose site calls getppid (a) or getpid (b).
$(FP)/fpa.so: tests/fastpath/fplib.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -fPIC -shared -DFPLIB_NR=110 -o $@ $<
$(FP)/fpb.so: tests/fastpath/fplib.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -fPIC -shared -DFPLIB_NR=39 -o $@ $<
# A kernel without PROCMAP_QUERY, imitated with a seccomp filter.
$(FP)/noprocmap: tests/fastpath/noprocmap.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<
