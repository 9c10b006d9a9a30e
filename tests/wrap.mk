# Programs and test-only wrappers for tests/t_wrap.sh (the wrapper runtime).
W := $(B)/tests/wrap
WRAP_TEST := $(W)/stress $(W)/stress-static $(W)/stress-spie $(W)/fdlist \
             $(W)/recurse.so $(W)/enforce.so $(W)/inproc.so $(W)/rules.so $(W)/badabi.so $(W)/undef.so $(W)/notpic.so $(W)/noabi.so
test-progs: $(WRAP_TEST)

$(W)/stress: tests/wrap/stress.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
$(W)/stress-static: tests/wrap/stress.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $< -pthread
$(W)/stress-spie: tests/wrap/stress.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -fPIE -static-pie -o $@ $< -pthread

$(W)/fdlist: tests/wrap/fdlist.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

# A wrapper that makes the very calls it wraps (recursion must not happen).
$(W)/recurse.so: tests/wrap/recurse.c $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,rs_image_entry -o $@ $< $(B)/wrapperabi/libwrapperabi.a -lgcc
$(W)/enforce.so: tests/wrap/enforce.c $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(BIN)/runsel-cc -o $@ $<
$(W)/inproc.so: tests/wrap/inproc.c $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(BIN)/runsel-cc -o $@ $<
# Rules (ABI 1.6) by table: tests/t_deny.sh.
$(W)/rules.so: tests/wrap/rules.c $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(BIN)/runsel-cc -o $@ $<
# Bad images the loader must refuse, each for its own reason.
$(W)/badabi.so: tests/wrap/badabi.c $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,rs_image_entry -o $@ $< $(B)/wrapperabi/libwrapperabi.a -lgcc
	python3 tests/wrap/setabi.py $@ 99
$(W)/undef.so: tests/wrap/undef.c $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) -shared -nostdlib -Wl,-e,rs_image_entry -o $@ $< $(B)/wrapperabi/libwrapperabi.a -lgcc
$(W)/notpic.so: tests/wrap/recurse.c $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIC,$(IMAGE_CFLAGS)) -fno-pic -static -nostdlib -Wl,-e,rs_image_entry \
	    -o $@ $< $(B)/wrapperabi/libwrapperabi.a -lgcc
$(W)/noabi.so: tests/wrap/recurse.c $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,rs_image_entry -o $@ $< $(B)/wrapperabi/libwrapperabi.a -lgcc
	objcopy --remove-section .note.runsel $@
