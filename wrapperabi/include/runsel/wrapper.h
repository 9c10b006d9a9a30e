/* runsel/wrapper.h — the contract between a system call wrapper and runsel.
 *
 * A wrapper is a small position-independent ELF image (built with
 * `runsel-cc` or wrapperabi/wrapperabi.mk) that runsel maps into a selected
 * program's address space.  It declares the system calls it handles; each
 * such call made by the program reaches the wrapper, inside the program,
 * instead of (or around) the kernel.
 *
 * Rules a wrapper lives by — it runs in the middle of arbitrary program
 * code, possibly inside malloc or a signal handler of the program:
 *   - no libc: use the rs_* helpers below (wrapperabi/lib); every one is
 *     re-entrant and async-signal-safe;
 *   - no floating point or vector registers (built -mgeneral-regs-only):
 *     the kernel-module backend enters the wrapper without saving them;
 *   - system calls only through rs_syscall() / rs_pass(): they run
 *     natively, never back into the wrapper;
 *   - return errors as -errno, exactly as the kernel would.
 *
 * Minimal wrapper (see wrapperabi/examples/):
 *
 *     #include <runsel/wrapper.h>
 *     static int deny_unlink(struct rs_call *c) { return rs_veto(c, EPERM); }
 *     static const struct rs_handler handlers[] = {
 *         RS_WRAP_CALL(SYS_unlinkat, deny_unlink, NULL),
 *     };
 *     RS_WRAPPER("nounlink", handlers, .summary = "unlinkat fails with EPERM");
 */
#ifndef RUNSEL_WRAPPER_H
#define RUNSEL_WRAPPER_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include <runsel/abi.h>
#include <runsel/shebang.h>

/* The ABI of a call: x86-64 programs can also make ia32 calls (int $0x80)
 * and x32 calls (numbers with bit 30 set), with other numbers and
 * argument layouts. */
enum rs_abi {
    RS_ABI_X86_64 = 0,
    RS_ABI_IA32 = 1,
    RS_ABI_X32 = 2,
};
#define RS_ABI_BIT(a) (1u << (a))

/* One intercepted system call, as the program made it. */
struct rs_call {
    long nr;            /* system call number (of c->abi; x86-64 unless declared) */
    long arg[6];        /* arguments; a `before` hook may change them */
    long ret;           /* result: set by rs_pass()/the runtime, or by the wrapper */
    uint64_t data;      /* the wrapper's, from before to after (0 at start) */
    unsigned flags;     /* RS_CALL_* (read with rs_call_made()); set by runsel */
    void *backend;      /* backend state; do not touch */
    unsigned abi;       /* enum rs_abi (ABI 1.1) */
};

/* The kernel call was made: in an `after` hook, clear when a wrapper
 * inside this one in the stack vetoed or overrode the call (an injected
 * result, as `trace` outside `fault` shows it). */
#define RS_CALL_MADE 1u
int rs_call_made(const struct rs_call *c);   /* 1 under a host older than ABI 1.1 */

/* ABI 1.3: a signal about to reach the program, given to each wrapper's
 * signal hook (outermost first) on the thread it is delivered to, before
 * the program's handler runs — or before the process dies of it, when its
 * action is the default one and that is to terminate (ignored signals and
 * those whose default is to be ignored never reach the program, and are
 * not seen).  It may interrupt a call of the program's that the wrappers
 * of this thread are passing (rs_pass): `call` is that call and `state`
 * what became of it.  The hook runs with every signal blocked, on runsel's
 * stack; it may write (rs_syscall) but not block for long. */
enum rs_signal_state {
    RS_SIG_NO_CALL = 0,     /* no call of the program's was being made */
    RS_SIG_RETURNED = 1,    /* the call had returned `ret` (-EINTR: interrupted, the
                             * program will see it), its rs_pass has not yet */
    RS_SIG_RESTART = 2,     /* interrupted; the kernel makes it again once the handler
                             * returns (SA_RESTART): rs_pass returns that attempt's result */
};
struct rs_signal {
    int sig;
    int state;              /* enum rs_signal_state */
    long ret;               /* RS_SIG_RETURNED: the result */
    struct rs_call *call;   /* the call it interrupted, or NULL */
    const void *siginfo;    /* the siginfo_t (128 bytes) the handler gets */
    int fatal;              /* no handler: the process dies of it next */
};

/* Hook results. */
#define RS_CONTINUE 0   /* before: go on with the (possibly changed) call */
#define RS_RETURN   1   /* before: do not make the call; c->ret is the result */

enum rs_how {
    RS_WRAP = 1,        /* before (optional), the real call, after (optional) */
    RS_OVERRIDE = 2,    /* fn's result is the call's result; fn may rs_pass() */
};

#define RS_ANY (-1)     /* handler for every call without one of its own */
/* x86-64 system call numbers are below RS_NSYS: a table indexed by number
 * has RS_NSYS rows (a handler for a larger number is refused; calls with
 * larger numbers reach RS_ANY).  The kernel module covers the same range
 * (SELREDIR_NSYS; initmod checks they agree). */
#define RS_NSYS 512

struct rs_handler {
    int nr;                                  /* system call number or RS_ANY */
    int how;                                 /* enum rs_how */
    int (*before)(struct rs_call *c);        /* RS_WRAP */
    void (*after)(struct rs_call *c);        /* RS_WRAP: sees c->ret, may change it */
    long (*fn)(struct rs_call *c);           /* RS_OVERRIDE */
};

#define RS_WRAP_CALL(n, b, a)   {.nr = (n), .how = RS_WRAP, .before = (b), .after = (a)}
#define RS_OVERRIDE_CALL(n, f)  {.nr = (n), .how = RS_OVERRIDE, .fn = (f)}

/* Options from selected.conf (`WRAPPER key=value ...`) or `runsel -o`. */
struct rs_option {
    const char *key, *value;
};
struct rs_options {
    const struct rs_option *opt;
    int n;
};

/* ABI 1.6: rules — the part of a wrapper that can be said as data: a
 * system call (x86-64), conditions on its scalar arguments, an action.
 * The host evaluates them before the wrapper's handler, in every
 * placement; with placement=kernel those that fail or kill a call also
 * run as a seccomp filter (docs/placement.md); the wrapper's `rules`
 * hook (below) builds them from its options, with no side effect, so that
 * runsel can ask for them in a process of its own.
 *
 *   RS_RULE_ALLOW  the wrapper's code never sees the call: it goes on (to
 *                  the wrappers inside, then the kernel)
 *   RS_RULE_ERRNO  the call fails with err (1..4095) and is not made, as a
 *                  veto: the wrappers outside see the result, those inside
 *                  never see the call
 *   RS_RULE_KILL   the process is killed as seccomp kills it: by SIGSYS,
 *                  at once, every thread (the wrappers outside see the
 *                  call, never a result)
 *   RS_RULE_CODE   the wrapper's handler, as without rules
 *
 * A call no rule matches goes to the handler — or, for a wrapper whose
 * flags say RS_RULES_COVER, passes it by.  Conditions are ANDed, one per
 * argument at most, each comparing the argument as an unsigned 64-bit
 * value: EQ (== a), NE (!= a), MASKED ((x & a) == b) or RANGE (a <= x <=
 * b); a set of values is a rule per value.  Two rules of a wrapper for the
 * same call that could both match must say the same (action and errno):
 * the host refuses a table where they do not (the exec fails, 126, naming
 * them), so no order decides — as a seccomp filter built from them by
 * libseccomp would not.
 *
 * RS_RULE_BACKSTOP (flags): the rule says what the wrapper's code does
 * anyway (a sandbox that logs each denial it makes): hosts that run the
 * code ignore it, and the kernel placement installs it too, so a program
 * that gets past the code in its own memory still meets it. */
enum rs_rule_op { RS_RULE_EQ = 1, RS_RULE_NE, RS_RULE_MASKED, RS_RULE_RANGE };
struct rs_cond {
    unsigned char arg;          /* 0..5 */
    unsigned char op;           /* enum rs_rule_op */
    uint64_t a, b;
};
/* Does the condition hold for the argument's value x?  The one meaning of
 * a condition outside the kernel: the hosts' rule matching
 * (internal/runrules.h) and a wrapper that also checks its conditions in
 * code (fault) both use it. */
static inline int rs_cond_holds(const struct rs_cond *k, uint64_t x)
{
    switch (k->op) {
    case RS_RULE_EQ: return x == k->a;
    case RS_RULE_NE: return x != k->a;
    case RS_RULE_MASKED: return (x & k->a) == k->b;
    case RS_RULE_RANGE: return x >= k->a && x <= k->b;
    }
    return 0;
}
enum rs_rule_action { RS_RULE_ALLOW = 1, RS_RULE_ERRNO, RS_RULE_CODE, RS_RULE_KILL };
#define RS_RULE_CONDS 6
#define RS_RULE_BACKSTOP 1u
struct rs_rule {
    int nr;                     /* x86-64 system call number, 0..RS_NSYS-1 */
    unsigned char action;       /* enum rs_rule_action */
    unsigned char nconds;
    unsigned short err;         /* RS_RULE_ERRNO */
    unsigned flags;             /* RS_RULE_BACKSTOP */
    struct rs_cond cond[RS_RULE_CONDS];
};
#define RS_RULES_MAX 512        /* rules one wrapper may give: one for each call, and more */
/* Does this host evaluate rules (ABI 1.6)?  An older one ignores them: a
 * wrapper that is nothing but rules must refuse to run there (init). */
int rs_host_runs_rules(void);

struct rs_wrapper {
    unsigned abi_major, abi_minor;
    const char *name;
    const char *summary;
    unsigned flags;                          /* RS_ENFORCES ... */
    const struct rs_handler *handlers;
    int nhandlers;
    /* Once, before the program's first instruction.  Return 0, or -1 with
     * a message in err: the exec then fails with status 126. */
    int (*init)(const struct rs_options *opts, char *err, size_t errsize);
    /* At exit_group, before the process exits (status as given); ABI 1.5:
     * RS_DETACHED at a detach (runsel -p), when the program goes on. */
    void (*fini)(int status);
    /* In a forked child, before it runs program code. */
    void (*atfork)(void);
    /* ABI 1.1: the ABIs besides x86-64 whose calls it handles
     * (RS_ABI_BIT(RS_ABI_IA32) | ...): those reach its RS_ANY handler only,
     * with c->abi set.  Calls of an ABI a wrapper does not handle pass it
     * by and run natively — unless it enforces a policy: then they fail
     * with ENOSYS, since it could not check them. */
    unsigned abis;
    /* ABI 1.3: a signal is being delivered to the program (below).  With
     * this hook in the stack, runsel sees every signal that reaches a
     * handler of the program's or kills the process by its default action,
     * and the program's rt_sigreturn calls reach the wrappers
     * (RS_SIGRETURN). */
    void (*signal)(const struct rs_signal *s);
    /* ABI 1.6: the wrapper's rules for these options (above): how many,
     * at most max, written to out; or -1 with a message in err (the exec
     * then fails with 126).  Called once per image before init, and by
     * runsel in its own process: it must only read its options. */
    int (*rules)(const struct rs_options *opts, struct rs_rule *out, int max, char *err,
                 size_t errsize);
};
/* The wrapper enforces a policy: never run the program unwrapped (no
 * backend, or the wrapper unusable) — the exec fails instead. */
#define RS_ENFORCES 1u
/* ABI 1.3: the rt_sigreturn that ends each handler of the program's
 * reaches this wrapper as a call (nr SYS_rt_sigreturn, arg[0] = the
 * address of the ucontext it restores, where the program's stack pointer
 * is; the other arguments mean nothing).  A wrapper must pass it
 * (rs_pass), never veto or override it.  Implied by a signal hook. */
#define RS_SIGRETURN 2u
/* Words of that ucontext (x86-64 struct ucontext: flags, link, stack_t,
 * then the registers; the signal mask at 256 past them), read from the
 * program's memory: 1 with *v, 0 when it cannot be read. */
#define RS_UC_GREGS 40
#define RS_UC_RBX (RS_UC_GREGS + 11 * 8)
#define RS_UC_RAX (RS_UC_GREGS + 13 * 8)     /* what rt_sigreturn returns */
#define RS_UC_SIGMASK (RS_UC_GREGS + 256)
int rs_sigreturn_word(const struct rs_call *c, long off, long *v);
/* ABI 1.4: the wrapper runs only inside the program (placement=inprocess):
 * it hands the program pointers into its own memory, or needs the
 * program's own process.  runsel refuses it for placement=process with
 * that reason. */
#define RS_INPROCESS 4u
/* ABI 1.6: the wrapper's rules name every call its handlers must see:
 * a call no rule matches passes it by, and its handlers see only those an
 * RS_RULE_CODE rule hands them.  A wrapper whose rules hand nothing to
 * its code needs none of it to run: with placement=kernel its rules are
 * the whole wrapper (fault with deterministic injections only). */
#define RS_RULES_COVER 8u
/* ABI 1.7: the wrapper only observes.  Its handlers never change a call's
 * arguments or result, never veto or answer a call, and read nothing of
 * the program's memory: what they learn is the call's number, its
 * arguments' values, its result and its times (rs_call_clock_ns).  Out of
 * process (placement=process) a stack of such wrappers does not hold the
 * program: the call goes on at once and the wrappers learn of it after,
 * in order (count).  In process it changes nothing. */
#define RS_OBSERVES 16u
/* ABI 1.7: the time on clock (CLOCK_MONOTONIC, or CLOCK_THREAD_CPUTIME_ID:
 * the program thread's CPU time) at this point of the call — in a
 * handler before rs_pass, the call's entry; after it, its exit.  In
 * process that is now; out of process, the time the supervisor saw the
 * program there, which is the only right one for an RS_OBSERVES stack
 * (the program has gone on since).  0 when it cannot be read. */
uint64_t rs_call_clock_ns(int clock);

#define RS_WRAPPER(nm, table, ...)                                              \
    const struct rs_wrapper rs_wrapper_desc = {                                \
        .abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR, .name = (nm),     \
        .handlers = (table), .nhandlers = (int)(sizeof(table) / sizeof((table)[0])), \
        __VA_ARGS__}

/* The option keys the wrapper takes, once, at file scope:
 *
 *     RS_OPTIONS("log", "strsize");      (RS_OPTIONS() for none)
 *
 * An ELF note in the image (RS_NOTE_OPTIONS, runsel/abi.h), so runsel and
 * `selctl check` can read it from the file and refuse a misspelt key with
 * a usage error before anything runs, and initmod refuses it (the exec
 * fails, 126) before the wrapper's init sees it.  The keys of runsel
 * itself (inherit=, syscalls=, backend=, fastpath=, wrapper-hash=) never
 * reach a wrapper and need no declaring.  A wrapper without RS_OPTIONS is
 * not checked.  rs_opt_check() below checks against the same list. */
#define RS_XSTR_(x) #x
#define RS_XSTR(x) RS_XSTR_(x)
#define RS_OPTIONS(...)                                                         \
    __asm__(".pushsection .note.runsel,\"a\",@note\n"                           \
            ".balign 4\n"                                                       \
            ".long 7, rs_option_keys_end - rs_option_keys, "                    \
            RS_XSTR(RS_NOTE_OPTIONS) "\n"                                       \
            ".asciz \"" RS_NOTE_NAME "\"\n"                                     \
            ".balign 4\n"                                                       \
            ".globl rs_option_keys, rs_option_keys_end\n"                       \
            ".hidden rs_option_keys, rs_option_keys_end\n"                      \
            "rs_option_keys:\n"                                                 \
            __VA_OPT__(".asciz " #__VA_ARGS__ "\n")                             \
            "rs_option_keys_end:\n"                                             \
            ".balign 4\n"                                                       \
            ".popsection")

/* ---- services (wrapperabi/lib) ---- */

/* The system call, natively (never intercepted): result or -errno.
 * rs_syscall(nr, args...) takes 0 to 6 arguments. */
long rs_syscall6(long nr, long a, long b, long c, long d, long e, long f);
#define RS_SC_(nr, a, b, c, d, e, f, ...)                                      \
    rs_syscall6((long)(nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define rs_syscall(...) RS_SC_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
/* Perform the program's call c now, with c->arg as they are; sets and
 * returns c->ret.  With a stack of wrappers, the wrappers inside this one
 * see it first.  For clone, exec and signal calls this is runsel's
 * handling of them (threads stay intercepted, exec goes through the loader). */
long rs_pass(struct rs_call *c);
/* Veto: the call is not made and fails with errno err. */
static inline int rs_veto(struct rs_call *c, int err)
{
    c->ret = -(long)err;
    return RS_RETURN;
}

const char *rs_opt(const struct rs_options *o, const char *key);   /* NULL if absent */
int rs_opt_long(const struct rs_options *o, const char *key, long dflt, long *out);
/* key=one of words (a NULL-ended list): *out = its index; absent: *out
 * untouched (its default), 0; another value: -1 with "KEY=VALUE: expected
 * W0, W1 or W2" in err. */
int rs_opt_choice(const struct rs_options *o, const char *key, const char *const *words, int *out,
                  char *err, size_t errsize);
/* format=text|json (trace, count, fault, sandbox): *json 1 for json. */
static inline int rs_opt_format(const struct rs_options *o, int *json, char *err, size_t errsize)
{
    static const char *const formats[] = {"text", "json", 0};

    return rs_opt_choice(o, "format", formats, json, err, errsize);
}
/* For a wrapper with RS_OPTIONS: 0 when every key of o is declared, else
 * -1 with "unknown option 'KEY' (NAME takes KEY1=, KEY2=...)" in err.
 * (initmod checks the same before init; this keeps a wrapper safe under
 * a host that does not.) */
int rs_opt_check(const struct rs_options *o, char *err, size_t errsize);
/* Words of a value separated by sep: each call returns the next, length in *len. */
const char *rs_next_word(const char **cursor, char sep, size_t *len);

/* Formatting: %s %c %d %i %u %x %o %p with l/ll/z/h/hh, #, 0, width, .prec
 * and %.*s; returns the length it would have had (like snprintf). */
size_t rs_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t rs_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One write(2) of the formatted text (a line stays whole in O_APPEND files). */
long rs_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long rs_write_all(int fd, const void *buf, size_t len);

size_t rs_strlen(const char *s);
int rs_strcmp(const char *a, const char *b);
int rs_strncmp(const char *a, const char *b, size_t n);
char *rs_strchr(const char *s, int c);
size_t rs_strlcpy(char *d, const char *s, size_t size);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

const char *rs_errno_name(long err);      /* "ENOENT" for 2, NULL if unknown */
const char *rs_strerror(long err);        /* "No such file or directory" */
int rs_errno_from_name(const char *s, size_t n);   /* 0 if unknown */
const char *rs_syscall_name(long nr);     /* "openat", NULL if unknown */
const char *rs_call_name(const struct rs_call *c);   /* by its ABI's numbers */
long rs_syscall_from_name(const char *s, size_t n);   /* -1 if unknown */

/* strace's groups of calls (-e trace=%file ...; wrapperabi/lib/sysclass.c):
 * rs_syscall_classes(nr) has the RS_CLASS_* bits of an x86-64 call (0 for
 * a call in none), rs_class_from_name("%file", 5) the bit of a group by
 * strace's name, with its % ("%net" = "%network", "%%stat": any stat
 * call), 0 if unknown. */
#define RS_CLASS_FILE      (1u << 0)
#define RS_CLASS_DESC      (1u << 1)
#define RS_CLASS_PROCESS   (1u << 2)
#define RS_CLASS_NETWORK   (1u << 3)
#define RS_CLASS_SIGNAL    (1u << 4)
#define RS_CLASS_IPC       (1u << 5)
#define RS_CLASS_MEMORY    (1u << 6)
#define RS_CLASS_CREDS     (1u << 7)
#define RS_CLASS_CLOCK     (1u << 8)
#define RS_CLASS_PURE      (1u << 9)    /* no arguments, always succeed (getpid ...) */
#define RS_CLASS_STAT      (1u << 10)   /* %stat: stat(2) */
#define RS_CLASS_LSTAT     (1u << 11)
#define RS_CLASS_FSTAT     (1u << 12)   /* fstat, newfstatat, statx */
#define RS_CLASS_ANYSTAT   (1u << 13)   /* %%stat */
#define RS_CLASS_STATFS    (1u << 14)
#define RS_CLASS_FSTATFS   (1u << 15)
#define RS_CLASS_ANYSTATFS (1u << 16)   /* %%statfs */
uint32_t rs_syscall_classes(long nr);
uint32_t rs_class_from_name(const char *s, size_t n);

/* Time, natively. */
uint64_t rs_now_ns(void);                 /* CLOCK_MONOTONIC */
uint64_t rs_realtime_ns(void);            /* CLOCK_REALTIME (wrapperabi/lib/json.c); 0 if unknown */

/* ---- where the program is (ABI 1.4) ----
 *
 * The same image runs inside the program (placement=inprocess) or in a
 * supervisor process (placement=process).  rs_syscall acts in the process
 * the wrapper runs in — the host: in a supervisor its descriptors, cwd,
 * root and /proc/self are the supervisor's, not the program's.  Only
 * rs_pass, the memory accessors and the services below reach the program.
 * So a wrapper never means the program by "self":
 *   - the program's /proc directory is rs_proc_path()'s, never the literal
 *     "/proc/self" (which names the host);
 *   - a call on one of the program's descriptors (fstat, fcntl, ioctl, the
 *     dirfd of an *at call) is made on rs_program_fd()'s, never on the
 *     number the program passed; its link is read through rs_proc_path
 *     ("fd/%d");
 *   - the program's pid and tid are rs_getpid() and rs_gettid().
 * In process each answers as before 1.4, at the same cost: rs_program_fd
 * and rs_program_dirfd make no call, rs_proc_path gives "/proc/self/...".
 * Under a host older than 1.4 (always in process), the same.
 *
 * rs_inprocess: 1 when the host is the program's own process.
 * rs_getpid, rs_gettid: the program's pid and tid (the thread whose call,
 *   signal or fini this is); in process the raw getpid/gettid calls.
 * rs_proc_path: "/proc/self/" + fmt (a supervisor: "/proc/PID/" + fmt)
 *   into buf: its length, or -ENAMETOOLONG (buf emptied) when it does not
 *   fit — never a path cut short.  rs_proc_thread_path: the calling
 *   thread's, "/proc/thread-self/" + fmt ("/proc/PID/task/TID/").
 * rs_program_fd: the program's descriptor fd as one of the host's, for
 *   the rs_syscall calls on it: in process fd itself, whatever it is (a
 *   call on a bad number fails as it would); from a supervisor a new
 *   descriptor on the same open file description, or -errno (-EBADF: not
 *   open in the program), never AT_FDCWD — so the result can be handed to
 *   the call as it is: a negative one fails there with EBADF, as a number
 *   not open does.  AT_FDCWD: the program's cwd (from a supervisor an
 *   O_PATH descriptor on it).  Hand it back with rs_program_fd_done (which
 *   closes only what was opened for it).
 * rs_program_dirfd: the same for the dirfd of an *at call on path (the
 *   wrapper's copy): an absolute path ignores its dirfd — AT_FDCWD from a
 *   supervisor, which then resolves it in its own root.
 * rs_program_cwd: the program's cwd, NUL-terminated: its length, or
 *   -errno (in process getcwd's: -ERANGE when it does not fit; a cwd
 *   outside the root reads "(unreachable)...").
 * rs_thread_cputime_ns: the CPU time of the program's thread (the one
 *   whose call this is), ns: in process CLOCK_THREAD_CPUTIME_ID, one call
 *   (that clock of another process cannot be read: from a supervisor, the
 *   thread's schedstat); 0 if unknown. */
/* The /proc directory of the process the wrapper runs in, for the
 * wrapper's OWN descriptors (one it opened, a kept log, count's table:
 * the host's in either placement).  Never for the program's: those are
 * rs_proc_path's. */
#define RS_OWN_PROC "/proc/self"
int rs_inprocess(void);
int rs_getpid(void);
int rs_gettid(void);
int rs_proc_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rs_proc_thread_path(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
long rs_program_fd(int fd);
long rs_program_dirfd(int dirfd, const char *path);
void rs_program_fd_done(long hostfd);
long rs_program_cwd(char *buf, size_t size);
uint64_t rs_thread_cputime_ns(void);
/* The pid the program's pidfd fd refers to ("Pid:" in its fdinfo, read
 * into buf of size bytes), 0 for one outside the program's pid namespace,
 * or -1: not a pidfd, unreadable, or its process gone. */
long rs_program_pidfd_pid(int fd, char *buf, size_t size);
/* Room for size bytes in the program's memory for the duration of call c
 * (below its stack pointer, past the red zone), where data the call's
 * arguments must point to can be written with rs_copy_out — a rewritten
 * argument array, a string.  NULL: the host has none; in process a
 * wrapper's own memory is the program's, and serves. */
void *rs_call_scratch(const struct rs_call *c, size_t size);
/* ABI 1.5: make argument idx of call c point to a copy of the size bytes
 * at data that the program cannot change before the kernel reads them —
 * what a wrapper that judged a copy of a path (or a struct) must hand the
 * call, so that the checked bytes are the bytes the kernel acts on.  In
 * process: c->arg[idx] = data (the wrapper's copy; the program shares
 * the wrapper's memory, which is that placement's threat model).  From a
 * supervisor: a copy in a read-only area of the program's that the
 * supervisor alone writes and the program cannot remap, unprotect or
 * unmap (docs/placement.md), its address in c->arg[idx]; valid until the
 * call returns, up to 16 KiB per call in all.  0, or -errno: the call
 * must then not be made (-E2BIG: too large; -EPERM: the area is
 * unusable). */
long rs_pin_arg(struct rs_call *c, int idx, const void *data, size_t size);
/* ABI 1.5: 1 when the wrappers joined a program that was running already
 * (runsel -p PID): init runs at the attach, not at the program's exec, and
 * fini at the detach; rs_program_argv and rs_program_envp are NULL. */
int rs_attached(void);
#define RS_DETACHED (-1)

/* A file descriptor the program must not be able to close or overwrite
 * (a log): moved to a high number, close-on-exec, and guarded by runsel
 * against close/dup2/dup3/close_range.  Returns the new fd or -errno. */
int rs_keep_fd(int fd);
/* ABI 1.2: the same, and the fd is passed on to the programs this one
 * execs through runsel's loader (those that are wrapped again, which can
 * find it: count's run table): runsel clears its close-on-exec flag just
 * for such an exec, never for one the kernel runs natively (set-user-ID
 * programs).  Under an older host, rs_keep_fd(). */
int rs_keep_fd_exec(int fd);
/* ABI 1.2: this wrapper's entry passes it on to the programs the program
 * runs (not inherit=no); 0 under an older host. */
int rs_inherits(void);

/* Program facts. */
const char *rs_program_path(void);        /* the program's path as exec'd */
const char *rs_wrapper_name(void);
/* The exec that started this program changed its privileges (AT_SECURE:
 * set-user-ID, set-group-ID, file capabilities).  A wrapper must then not
 * write where the unprivileged caller points (relative paths, stderr). */
int rs_secure_exec(void);
/* The program's initial argv and envp (NULL-terminated), as it started. */
char *const *rs_program_argv(void);
char *const *rs_program_envp(void);

/* Reading the program's memory (its pointer arguments) without ever
 * faulting, as strace's umoven/umovestr (wrapperabi/lib/copyin.c):
 * through process_vm_readv on the program (rs_getpid), or — where that
 * call is refused (seccomp: EPERM, ENOSYS), in process only — through
 * write(2) into a pipe, which faults where the kernel's own copy of an
 * argument would.  Never a plain
 * copy: a bad pointer is a short read, not a crash.
 *
 * rs_copy_in: up to n bytes from src (the program's) to dst (yours).
 * Returns how many were read: n, or fewer when the range reaches an
 * unreadable page (0 for NULL or an unreadable first page); -errno only
 * when memory cannot be read at all (process_vm_readv refused and no
 * pipe: -EMFILE ...).  Anything short of n means "not all readable".
 *
 * rs_copy_in_str: a NUL-terminated string of at most size-1 bytes into
 * dst (size bytes).  Its length (dst NUL-terminated), or -EFAULT (NULL,
 * or unreadable before its NUL), -ENAMETOOLONG (no NUL in the first size
 * bytes: dst then holds the first size-1 of them, NUL-terminated; a path
 * argument with size PATH_MAX fails as the kernel's would), or the
 * -errno of rs_copy_in. */
long rs_copy_in(void *dst, const void *src, size_t n);
long rs_copy_in_str(char *dst, const char *src, size_t size);
/* Writing into the program's memory (its output buffers) the same way
 * (wrapperabi/lib/copyin.c too): up to n bytes from src (yours) to dst (the
 * program's), through process_vm_writev, or a pipe and read(2) where that
 * is refused — writable only where the kernel's copy_to_user could write
 * (not read-only or PROT_NONE pages).  Returns how many were written: n,
 * or fewer when the range reaches a page the program cannot write (0 for
 * NULL); -errno only when memory cannot be written at all. */
long rs_copy_out(void *dst, const void *src, size_t n);

/* Path helpers, lexical (no symlinks are followed): 0 or -errno.
 * rs_path_normalize: an absolute path with "//", "." and ".." collapsed
 *   ("/.." is "/"); -EINVAL for a relative one.  in may be out.
 * rs_path_join: path, when relative, joined to the absolute directory
 *   dir, then normalized; dir may be out.  Only the result must fit in
 *   size (-ENAMETOOLONG): "../" may take back what did not.  No system
 *   call (wrapperabi/lib/pathlex.c).
 * rs_path_at: path relative to the program's dirfd (or AT_FDCWD) made
 *   absolute and normalized, the directory named by the kernel (the fd's
 *   link under rs_proc_path, rs_program_cwd); -ENOTDIR for a dirfd that is
 *   no directory, -EBADF for one not open, -ENOENT for a cwd outside the
 *   root. */
int rs_path_normalize(const char *in, char *out, size_t size);
int rs_path_join(const char *dir, const char *path, char *out, size_t size);
int rs_path_at(int dirfd, const char *path, char *out, size_t size);
/* Does path match the glob, in selected.conf's glob language: `*` within a
 * path component, `**` across components, `?` one character but `/`?  The
 * list's own matcher (selconf/glob.c): linear time whatever the pattern;
 * paths longer than 4096 bytes never match. */
int rs_glob_match(const char *glob, const char *path);

/* A bounded, lock-free arena for wrappers that need memory at init
 * (never freed).  NULL when exhausted. */
void *rs_alloc(size_t size);

/* Small atomics. */
#define rs_atomic_add(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)
#define rs_atomic_load(p)   __atomic_load_n((p), __ATOMIC_RELAXED)

/* Records for the system log (wrapperabi/lib/syslog.c): RFC 5424,
 *     <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG
 * over the /dev/log unix socket (SOCK_DGRAM; SOCK_STREAM, each record
 * NUL-terminated, when the daemon's socket is one).  APP-NAME is
 * "runsel-" and the wrapper's name, PROCID the program's pid (pid, or
 * rs_getpid() at each record when 0), TIMESTAMP UTC with microseconds.
 *
 * rs_syslog_open: in init.  The socket is a kept descriptor
 *   (rs_keep_fd), made even when no daemon listens yet (the first record
 *   tries again); 0, or -errno when no socket could be made or kept.
 * rs_syslog_send: one record, never blocking for long: sent MSG_DONTWAIT;
 *   a daemon with no room is waited for at most RS_SYSLOG_WAIT_MS (not
 *   again after a drop until a record goes), then the record is dropped
 *   and counted (s->dropped), and the next record that goes is preceded
 *   by a warning saying how many were (MSGID "dropped"); a broken connection (the daemon restarted, or was not
 *   there) reconnected once onto the same descriptor.  0 or -errno
 *   (the record was dropped).  msgid NULL: s->msgid.  At most
 *   RS_SYSLOG_MSG_MAX bytes of msg are sent.
 * rs_syslog_lines: text as one record per line (newlines left out). */
#define RS_SYSLOG_PATH "/dev/log"
#define RS_SYSLOG_MSG_MAX 8000
#define RS_SYSLOG_WAIT_MS 100
#define RS_FAC_USER 1
#define RS_FAC_AUTHPRIV 10
#define RS_SEV_WARNING 4
#define RS_SEV_NOTICE 5
#define RS_SEV_INFO 6
struct rs_syslog {
    int fd;                 /* kept; -1: none */
    int type;               /* SOCK_DGRAM or SOCK_STREAM */
    int connected;
    int stalled;            /* the last record was dropped for want of room */
    int facility;           /* RS_FAC_* */
    int pid;                /* PROCID; 0: the calling process's */
    const char *msgid;      /* "-" (RFC 5424's nil) unless set */
    unsigned long dropped;  /* records that could not be sent */
    unsigned long reported; /* of those, how many a record has said */
    char host[65];
    char app[48];
};
int rs_syslog_open(struct rs_syslog *s, int facility, int pid);
long rs_syslog_send(struct rs_syslog *s, int severity, const char *msgid, const char *msg, size_t n);
long rs_syslog_lines(struct rs_syslog *s, int severity, const char *msgid, const char *text, size_t n);

/* A wrapper's log (wrapperabi/lib/log.c): where trace, count and fault
 * write.  Keep the struct in the wrapper's own static storage. */
struct rs_log {
    char path[4096];    /* log= made absolute, %p unexpanded; "" for stderr */
    int fd;             /* kept (rs_keep_fd, or _exec when passed); -1: nowhere */
    int per_pid;        /* the path has %p: every process its own file */
    const char *var;    /* rs_log_open_run: the variable that passes the default log on */
    int passed;         /* the default log goes on to the programs exec'd (rs_keep_fd_exec) */
    int to_syslog;      /* log=syslog: fd is sys.fd, and lines go as records (rs_log_write) */
    struct rs_syslog sys;
};
/* Text into the log: to the file (rs_write_all), or with log=syslog one
 * record per line (facility user, severity info).  Wrappers write through
 * this rather than to log->fd, so log=syslog works for them. */
long rs_log_write(struct rs_log *log, const void *buf, size_t n);
/* opt is log=syslog's value. */
int rs_log_is_syslog(const char *opt);
/* In init.  opt is the log= value; NULL means the stderr the program has
 * now, duplicated and kept (later close(2) or dup2 onto 2 do not move
 * it).  A relative path is made absolute against the cwd now, once.  For
 * a secure exec (rs_secure_exec()) the default stderr and relative paths
 * are refused.  The file is opened O_APPEND|O_CREAT (0600 for a secure
 * exec, else 0644) with O_NOFOLLOW, and refused when it is a symlink, is
 * not a regular file, character device or FIFO, or is another user's (or
 * hard-linked) in a world-writable directory (sticky like /tmp, or not).
 * Returns 0, or -1
 * with "log=PATH: reason" in err (init then fails: the exec exits 126).
 * opt "syslog" (log=syslog): the system log instead (rs_syslog_open,
 * facility user), allowed for a secure exec too — /dev/log is a fixed
 * system destination, not one the caller points to; never refused for a
 * daemon that is not there (its records are dropped and counted).  A
 * file named syslog is log=./syslog. */
int rs_log_open(struct rs_log *log, const char *opt, char *err, size_t errsize);
/* rs_log_open, for a wrapper whose every image writes to its default log
 * (trace): without log=, the log is the run's — the stderr of the first
 * process, whatever a later program does with its fd 2 before it execs
 * another (2>/dev/null, 2>&-), as strace keeps its own.  An image exec'd
 * by one that passed its log takes that descriptor: the environment
 * variable var ("VAR=FD:DEV:INO", from rs_log_exec_var in the exec's
 * environment) names it, and the fd must be one this exec inherited,
 * open on that file.  Otherwise the stderr the program has now, as
 * rs_log_open.  Kept with rs_keep_fd_exec when the entry inherits
 * (rs_inherits(); never under inherit=no), so the programs exec'd through
 * the loader receive it.  A secure exec never uses the caller's log: the
 * inherited fd is closed, and the default log refused as by rs_log_open.
 * (An inherited fd no wrapper of the image takes is closed by runsel
 * after the wrappers' init.) */
int rs_log_open_run(struct rs_log *log, const char *opt, const char *var, char *err,
                    size_t errsize);
/* The entry "VAR=FD:DEV:INO" for the environment of an exec, into buf;
 * its length, or 0 when nothing is passed (a log= file, which the next
 * image opens by its path; inherit=no; no log; no room). */
size_t rs_log_exec_var(const struct rs_log *log, char *buf, size_t size);
/* In a forked child: with %p, open this process's own file (same rules)
 * onto the kept fd; otherwise nothing to do.  0, or -1 with err. */
int rs_log_reopen(struct rs_log *log, char *err, size_t errsize);
/* With %p, the file of process pid (same rules), as a new fd the caller
 * closes: how is RS_LOG_CREATE (else only when it exists) and RS_LOG_READ
 * (readable too); -errno (-EINVAL without %p).  For a child that shares
 * its parent's memory (posix_spawn's CLONE_VM|CLONE_VFORK: no .atfork, the
 * log's state is the parent's: its own pid), and for a line about another
 * process (trace: a child the parent reaped, killed by a signal). */
#define RS_LOG_CREATE 1
#define RS_LOG_READ 2
long rs_log_open_file(const struct rs_log *log, int pid, int how, char *err, size_t errsize);
/* rs_log_open and rs_log_reopen with %p standing for pid rather than this
 * process's (count's collector writes the files of other processes). */
int rs_log_open_pid(struct rs_log *log, const char *opt, int pid, char *err, size_t errsize);
int rs_log_reopen_pid(struct rs_log *log, int pid, char *err, size_t errsize);

#endif
