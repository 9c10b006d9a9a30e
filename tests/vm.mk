# Programs for tests/vm (run inside vmtest's guest with selredir.ko loaded);
# built with everything else so a broken one fails make, not the VM run.
test-progs: $(B)/tests/vm/kmodtest

$(B)/tests/vm/kmodtest: tests/vm/kmodtest.c tests/vm.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -Ikmod $(DEPFLAGS) -o $@ $< -pthread
DEPS += $(B)/tests/vm/kmodtest.d
