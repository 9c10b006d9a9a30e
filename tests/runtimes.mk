# Programs of other language runtimes for tests/t_runtimes.sh: Go (static
# and cgo), Rust, Java; churn.c (thread churn: signal stacks reused) and
# altstack.c (a program's own sigaltstack: what it reads back, where handlers run).  Node.js and Python run tests/runtimes/*.js|py as
# they are.  Go wants a writable cache and home: both live in the build dir,
# and it never goes to the network (GOPROXY=off, no modules needed).
RT := $(B)/tests/runtimes
RT_ABS := $(abspath $(RT))
GO_ENV := HOME=$(RT_ABS)/home GOCACHE=$(RT_ABS)/gocache GOPATH=$(RT_ABS)/gopath \
          GOFLAGS=-buildvcs=false GOPROXY=off GO111MODULE=on
GO_SRCS := $(wildcard tests/runtimes/go/*.go) tests/runtimes/go/go.mod
# Debian's rustc, not whatever a user's PATH has first.
RUSTC := $(firstword $(wildcard /usr/bin/rustc) rustc)

$(RT)/go-static: $(GO_SRCS)
	@mkdir -p $(@D)
	cd tests/runtimes/go && env $(GO_ENV) CGO_ENABLED=0 go build -o $(RT_ABS)/go-static .
$(RT)/go-cgo: $(GO_SRCS)
	@mkdir -p $(@D)
	cd tests/runtimes/go && env $(GO_ENV) CGO_ENABLED=1 go build -o $(RT_ABS)/go-cgo .
$(RT)/rt-rs: tests/runtimes/rt.rs
	@mkdir -p $(@D)
	$(RUSTC) -O -o $@ $<
# sun.misc.Signal is "internal proprietary API": javac says so on every build.
$(RT)/java/Rt.class: tests/runtimes/Rt.java
	@mkdir -p $(@D)
	javac -XDignore.symbol.file -d $(@D) $< 2>&1 | grep -v -e 'proprietary API' -e '^ *\^' \
	    -e 'sun.misc.Signal' -e '^[0-9]* warnings*$$' || true
	@test -f $@

$(RT)/churn: tests/runtimes/churn.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
$(RT)/altstack: tests/runtimes/altstack.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
$(RT)/altstack-static: tests/runtimes/altstack.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $< -pthread

test-progs: $(RT)/churn $(RT)/altstack $(RT)/altstack-static $(RT)/go-static $(RT)/go-cgo $(RT)/rt-rs $(RT)/java/Rt.class
