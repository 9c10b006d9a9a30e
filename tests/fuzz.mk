# libFuzzer target over the selection list parser and index readers.
# Not part of test-progs: `make fuzz` builds it, `make check` runs it.
FUZZ_TIME ?= 20
$(B)/tests/fuzz-selconf: tests/fuzz/fuzz_selconf.c $(SELCONF_SRCS) tests/fuzz.mk
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -Iselconf -Iinternal -Iwrapperabi/include $(DEPFLAGS) \
	    -o $@ tests/fuzz/fuzz_selconf.c $(SELCONF_SRCS)
DEPS += $(B)/tests/fuzz-selconf.d

# initmod's instruction-length decoder (tests/fuzz/fuzz_insn.c).
$(B)/tests/fuzz-insn: tests/fuzz/fuzz_insn.c initmod/insn.c tests/fuzz.mk
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -Iinitmod $(DEPFLAGS) \
	    -o $@ tests/fuzz/fuzz_insn.c initmod/insn.c
DEPS += $(B)/tests/fuzz-insn.d

.PHONY: fuzz fuzz-run fuzz-insn-run
fuzz: $(B)/tests/fuzz-selconf $(B)/tests/fuzz-insn

# Bounded run from a small seed corpus written here (a list and a compiled
# index of it), so the fuzzer starts from valid files of both kinds.
fuzz-run: $(B)/tests/fuzz-selconf $(BIN)/selctl
	@rm -rf $(B)/tests/fuzz-corpus && mkdir -p $(B)/tests/fuzz-corpus
	@printf '\0/usr/bin/cat trace inherit=no\n!/usr/bin/md5sum\n/opt/**/b* x backend=sud\nxxh128:0123456789abcdef0123456789abcdef h\n' \
	    >$(B)/tests/fuzz-corpus/list
	@tail -c +2 $(B)/tests/fuzz-corpus/list >$(B)/tests/fuzz-corpus/plain.conf
	@$(BIN)/selctl -c $(B)/tests/fuzz-corpus/plain.conf compile >/dev/null
	@{ printf '\1'; cat $(B)/tests/fuzz-corpus/plain.conf.idx; } >$(B)/tests/fuzz-corpus/index
	@rm -f $(B)/tests/fuzz-corpus/plain.conf*
	@if $(B)/tests/fuzz-selconf -max_total_time=$(FUZZ_TIME) -timeout=5 $(B)/tests/fuzz-corpus \
	    >$(B)/tests/fuzz.log 2>&1; then \
	    echo "fuzz: $$(grep -o 'Done [0-9]* runs.*' $(B)/tests/fuzz.log), no crash"; \
	else tail -n 40 $(B)/tests/fuzz.log; echo "fuzz: FAILED (see $(B)/tests/fuzz.log)"; exit 1; fi

# A short run of the decoder's target, from a few instructions of each
# kind (prefixes, 0f, 0f38, 0f3a, VEX, EVEX) as seeds (octal escapes: the
# shell is dash, whose printf has no \x).
FUZZ_INSN_TIME ?= 10
fuzz-insn-run: $(B)/tests/fuzz-insn
	@rm -rf $(B)/tests/fuzz-insn-corpus && mkdir -p $(B)/tests/fuzz-insn-corpus
	@i=0; for s in '\146\056\017\037\204\000\000\000\000\000' '\110\270\001\002\003\004\005\006\007\010' \
	    '\363\017\036\372' '\146\017\070\000\104\044\020' \
	    '\146\017\072\017\301\010' '\304\343\171\017\301\010' \
	    '\142\361\375\110\157\204\044\021\042\063\104' '\367\105\370\001\000\000\000'; do \
	    i=$$((i + 1)); printf "$$s" >$(B)/tests/fuzz-insn-corpus/seed$$i; done
	@if $(B)/tests/fuzz-insn -max_total_time=$(FUZZ_INSN_TIME) -max_len=32 -timeout=5 $(B)/tests/fuzz-insn-corpus \
	    >$(B)/tests/fuzz-insn.log 2>&1; then \
	    echo "fuzz-insn: $$(grep -o 'Done [0-9]* runs.*' $(B)/tests/fuzz-insn.log), no crash"; \
	else tail -n 40 $(B)/tests/fuzz-insn.log; echo "fuzz-insn: FAILED (see $(B)/tests/fuzz-insn.log)"; exit 1; fi
fuzz-run: fuzz-insn-run

# ELF mutation campaign (tests/fuzz/elfmut.c): the loader's verdict against
# the kernel's on mutated headers of hello built three ways.  Host code
# (sanitized under make check); the short run is tests/t_elfmut.sh.
ELFMUT_N ?= 2000
ELFMUT_SEED ?= 1
ELFMUT_SEEDS := $(B)/tests/progs/hello-static $(B)/tests/progs/hello-spie $(B)/tests/progs/hello-dyn
$(B)/tests/elfmut: tests/fuzz/elfmut.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/elfmut

.PHONY: elfmut-run
elfmut-run: $(B)/tests/elfmut $(BIN)/runsel-loader $(ELFMUT_SEEDS)
	@rm -rf $(B)/tests/elfmut-work
	@if $(B)/tests/elfmut -n $(ELFMUT_N) -s $(ELFMUT_SEED) -a tests/fuzz/elfmut.allow \
	    $(BIN)/runsel-loader $(B)/tests/elfmut-work $(ELFMUT_SEEDS) >$(B)/tests/elfmut.log; then \
	    cat $(B)/tests/elfmut.log; rm -rf $(B)/tests/elfmut-work; \
	else cat $(B)/tests/elfmut.log; \
	    echo "elfmut: FAILED (a disagreement not in tests/fuzz/elfmut.allow; mutants in $(B)/tests/elfmut-work)"; \
	    exit 1; fi
fuzz-run: elfmut-run
