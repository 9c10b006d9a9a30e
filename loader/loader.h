/* loader.h — types shared by the loader's steps.
 *
 * The loader runs one exec: parse the invocation (stack.c), open and check
 * the program (main.c, creds.c), parse its ELF headers (elfimg.c), map it and
 * its interpreter (map.c), build the stack the kernel would have built
 * (stack.c) and hand over control, leaving as little of itself as possible
 * (handoff.c, tramp.S).  Errors travel back as struct ld_err; only main.c
 * prints.  No libc: system calls come from sys.h, formatting from err.c. */
#ifndef RUNSEL_LOADER_H
#define RUNSEL_LOADER_H

#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define LD_PAGE 4096UL
#define PAGE_DOWN(x) ((uintptr_t)(x) & ~(LD_PAGE - 1))
#define PAGE_UP(x)   (((uintptr_t)(x) + LD_PAGE - 1) & ~(LD_PAGE - 1))

/* x86-64 values of the kernel's placement constants (arch/x86/include/asm/elf.h,
 * processor.h) for a 47-bit user address space. */
#define LD_TASK_SIZE       0x7ffffffff000UL
#define LD_ELF_ET_DYN_BASE 0x555555554aaaUL   /* DEFAULT_MAP_WINDOW / 3 * 2 */
#define LD_BRK_RND_OLD     0x02000000UL       /* arch_randomize_brk: 32 MiB ... */
#define LD_BRK_RND_NEW     0x40000000UL       /* ... 1 GiB for 64-bit since Linux 6.9 */
#define LD_MMAP_RND_BITS   28                 /* vm.mmap_rnd_bits default */

/* Exit statuses, as shells report exec failures. */
#define LD_EXIT_NOTFOUND 127
#define LD_EXIT_CANNOT   126

struct ld_err {
    int status;          /* exit status to use */
    char msg[512];       /* reason, without the "runsel-loader: PATH: " prefix */
};

/* Record an error; always returns -1 so callers can `return ld_fail(...)`. */
int ld_fail(struct ld_err *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

size_t ld_vfmt(char *buf, size_t size, const char *fmt, va_list ap);
size_t ld_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *ld_strerror(int err);   /* err > 0 */

/* ---- elfimg.c: one parsed and validated ELF file ---- */
/* The kernel reads at most 64 KiB of program headers (since Linux 6.17;
 * 4 KiB, one ELF_MIN_ALIGN page, before).  The table lives in the image
 * itself: the images are static (.bss), so the pages of a large table are
 * only touched, and only cost page faults, when a file has one. */
#define LD_MAX_PHDR_BYTES 65536
#define LD_MAX_PHNUM (LD_MAX_PHDR_BYTES / sizeof(Elf64_Phdr))
struct elf_image {
    int fd;
    long size;              /* file size */
    size_t phnum;
    char *interp;           /* PT_INTERP contents (in interp_buf), NULL if none */
    uintptr_t lo, hi;       /* page-aligned span of the PT_LOAD segments */
    uintptr_t align;        /* largest power-of-two p_align, at least a page */
    uintptr_t phdr_vaddr;   /* where the phdrs sit in memory (unbiased), 0 if unknown */
    int exec_stack;         /* PT_GNU_STACK asks for PF_X */
    /* Large buffers last, so a typical exec touches one page of them. */
    Elf64_Ehdr eh;
    unsigned char head[1024];   /* first read: ELF header + usual phdrs */
    Elf64_Phdr ph[LD_MAX_PHNUM];
    char interp_buf[4096];  /* PATH_MAX, as load_elf_binary() allows */
};

int elf_image_open(struct elf_image *im, int fd, struct ld_err *e);

/* ---- map.c: the image in memory ---- */
struct mapped {
    uintptr_t bias;         /* load bias added to every p_vaddr */
    uintptr_t entry;
    uintptr_t phdr;         /* AT_PHDR */
    uintptr_t lo, hi;       /* mapped span (absolute) */
    uintptr_t elf_brk;      /* end of the highest segment's memsz (absolute) */
    uintptr_t start_code, end_code, start_data, end_data;
};

struct placement {
    int randomize;          /* PF_RANDOMIZE equivalent */
    uint64_t rnd;           /* random bits for the base */
    uintptr_t brk_range;    /* arch_randomize_brk() range of this kernel */
};

int map_program(const struct elf_image *im, const struct placement *pl,
                struct mapped *m, struct ld_err *e);
int map_interp(const struct elf_image *im, struct mapped *m, struct ld_err *e);
uintptr_t choose_brk(const struct elf_image *prog, const struct mapped *m,
                     const struct placement *pl, uint64_t rnd);
int make_stack_executable(uintptr_t stack_top, struct ld_err *e);

/* ---- stack.c: the initial process stack ---- */
struct initial_stack {
    long argc;
    char **argv;
    char **envp;
    long envc;
    Elf64_auxv_t *auxv;
    long auxc;              /* entries before AT_NULL */
    uintptr_t end;          /* first byte after the AT_NULL entry */
};

void stack_parse(struct initial_stack *s, uintptr_t *sp);
unsigned long aux_get(const struct initial_stack *s, unsigned long type, int *found);

/* Describes what the program must see; stack_build writes the block. */
struct new_stack {
    long argc;
    char **argv;            /* points into the original argv array */
    const struct initial_stack *orig;
    unsigned long phdr, phent, phnum, entry, base;
    const char *execfn;     /* NULL: keep the kernel's */
};

/* Size in bytes of the argc..AT_NULL block for ns. */
size_t stack_block_size(const struct new_stack *ns);
/* Write the block into buf (stack_block_size bytes); the auxv part starts at
 * *auxv_off bytes and is auxv_len bytes long. */
void stack_build(const struct new_stack *ns, uintptr_t *buf, size_t *auxv_off, size_t *auxv_len);

/* ---- creds.c ---- */
struct stat;
int check_privileges(int fd, const struct stat *st, int at_secure, struct ld_err *e);

/* The loader's own image, to be unmapped at handoff. */
struct loader_image {
    uintptr_t lo, hi;
};
void loader_image(struct loader_image *li);

/* ---- select.c: which wrappers, if any (select.h) ---- */
#include "select.h"

/* ---- imgnote.c: runsel's ELF notes; a wrapper image's flags (RS_ENFORCES) ---- */
struct rsnote {
    uint32_t type, descsz;
    const char *desc;
};
/* The next note named "runsel" in [*at, end): 1 with it in *n (and *at past
 * it), 0 at the end or at a malformed note. */
int rsnote_next(const char **at, const char *end, struct rsnote *n);
int imgnote_wrapper_flags(int fd, unsigned *flags);   /* 0, or -1: the image does not say */
/* The option keys the wrapper image open on fd declares (RS_NOTE_OPTIONS:
 * each NUL-terminated) into keys, their length in *len (0: it takes no
 * options): 1; 0 when the image has no such note (its options are not
 * checked); -1 when unreadable or too long. */
int imgnote_option_keys(int fd, char *keys, size_t size, size_t *len);
/* The same for the image a wrapper word of n bytes names (an absolute
 * path, or NAME.so in wrapper_dir: select_wrapper_path): 1 with its keys,
 * 0 when it cannot be opened or declares nothing (not checked). */
int imgnote_wrapper_keys(const char *name, size_t n, const char *wrapper_dir, char *keys,
                         size_t size, size_t *len);

/* ---- rsimage.c: runsel's own images (initmod, wrappers) ---- */
/* Map the image open on fd (the caller closes it). */
int rsimage_load(int fd, unsigned kind, struct elf_image *im, struct mapped *m,
                 struct ld_err *e);
/* The first runsel note of this type in the mapped image: 0 with it in *n
 * (its desc points into the mapping), -1 if there is none. */
int rsimage_note(const struct elf_image *im, const struct mapped *m, uint32_t type,
                 struct rsnote *n);

/* ---- boot.c: what a selected program needs besides itself ---- */
struct boot_request {
    const char *program;         /* as exec'd */
    int binfmt;                  /* started by binfmt_misc */
    const struct selection *sel;
    uintptr_t entry;             /* the program's (or its interpreter's) entry */
    const char *run;             /* $RUNSEL_RUN, or NULL */
    const char *config;          /* $RUNSEL_CONFIG, or NULL */
    const char *wrapper_dir;     /* $RUNSEL_WRAPPER_DIR, or NULL */
    const char *log;             /* $RUNSEL_LOADER_LOG, or NULL */
    int prog_fd;                 /* the program, open */
    int kfd;                     /* -K: runsel's request's compiled filters, or -1 */
};
/* Map initmod and the wrapper and fill the boot block: *entry becomes
 * initmod's entry, *boot the block to hand it. */
int boot_prepare(const struct boot_request *rq, uintptr_t *entry, uintptr_t *boot,
                 struct ld_err *e);

/* ---- handoff.c ---- */
struct handoff {
    uintptr_t entry;             /* where to jump */
    uintptr_t boot;              /* %rdi at entry: initmod's boot block, or 0 */
    struct loader_image self;    /* unmapped on the way out */
    void *page;                  /* the handoff page (handoff_begin) */
    uintptr_t *block;            /* prepared stack block */
    size_t block_size;
    size_t auxv_off, auxv_len;
    uintptr_t final_sp;          /* where the block goes */
    int exe_fd;                  /* program fd for /proc/self/exe, closed on the way */
    int held;                    /* runsel's supervisor holds the process (supervised.h) */
    uintptr_t start_code, end_code, start_data, end_data;
    uintptr_t start_brk;
    uintptr_t arg_start, arg_end, env_start, env_end;
};

/* Map the handoff page and find room for a stack block of block_size. */
int handoff_begin(struct handoff *h, size_t block_size, struct ld_err *e);
/* Returns only on failure, before anything irreversible happened. */
int handoff(const struct handoff *h, struct ld_err *e);

/* boot.c: the loader's own path (/proc/self/exe), absolute. */
int loader_path(char *buf, size_t size, struct ld_err *e);

/* ---- toprocess.c: an entry with placement=process ---- */
struct selection;
/* 1 when an entry of the selection (not an inherited stack) says so. */
int selection_wants_process(const struct selection *sel);
/* exec runsel --placement=process for the program; returns only on failure. */
int exec_out_of_process(const struct initial_stack *s, const char *path, char **argv, long argc,
                        struct ld_err *e);

#endif
