# Programs for tests/t_kernel.sh (placement=kernel).
$(B)/tests/kernel/undo: tests/kernel/undo.c tests/kernel.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<
test-progs: $(B)/tests/kernel/undo
