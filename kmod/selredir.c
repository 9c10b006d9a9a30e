// SPDX-License-Identifier: GPL-2.0
/*
 * selredir — runsel's kernel redirect backend.
 *
 * Selected processes register their wrapper entry here (selredir.h).  The
 * module keeps the association table (process -> entry, exempt range, call
 * bitmap) and, at system call entry, sends the calls a registered process
 * asked for straight to its entry in user space: no signal frame, no
 * sigreturn.  Other processes never reach the module's code.
 *
 * Where: the generic entry code runs per-task "syscall work" before a call
 * is dispatched, and only for tasks whose work flags are set.  The module
 * sets the Syscall User Dispatch work bit on every thread of a registered
 * process and puts an ftrace_ops (SAVE_REGS|IPMODIFY) on
 * syscall_user_dispatch(), the function that bit makes syscall_trace_enter()
 * call first.  For a registered task the callback diverts that function to
 * selredir_dispatch(): for a call to redirect it points the user ip at the
 * wrapper entry, puts the call number in %rax and skips the call (the
 * entry code then returns straight to user space; %rcx keeps the return
 * address, %r11 the flags); for any other call it returns "run it".  Tasks
 * without the bit — every unselected process — take the fast path and pay
 * nothing, whether or not anything is registered.  Processes that use
 * Syscall User Dispatch themselves reach the callback, which leaves them to
 * the kernel's own code.  (x64_sys_call, the dispatcher since the 2024 BHI
 * change, would be the other place: hooking it costs every process on the
 * machine a trampoline per call while anything is registered.)
 *
 * The table is keyed by the process's struct pid (a reference is held), so
 * a reused pid number is a different key; its rows (struct sr_proc) are
 * RCU-protected, added on register and on fork of a registered process,
 * removed on unregister, exec and when the process's last thread exits.
 */
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/syscall_user_dispatch.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>
#include "selredir.h"

/* A registered process: its row in the table (loader/'s struct sel_entry
 * is something else, a line of the selection list). */
struct sr_proc {
	struct hlist_node node;
	struct pid *tgid;		/* key; reference held */
	unsigned long entry, exempt_lo, exempt_hi;
	unsigned long entry32;		/* ia32 calls go here; 0: none (SELREDIR_IOC_COMPAT) */
	unsigned int flags;		/* SELREDIR_F_* */
	DECLARE_BITMAP(calls, SELREDIR_NSYS);
	atomic64_t redirected;
	char label[SELREDIR_LABEL_MAX];	/* for /proc/selredir */
	struct rcu_head rcu;
};

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

static DEFINE_HASHTABLE(table, 10);
static DEFINE_SPINLOCK(table_lock);
static atomic_t nentries = ATOMIC_INIT(0);

static unsigned long max_entries = 65536;
module_param(max_entries, ulong, 0644);
MODULE_PARM_DESC(max_entries, "most processes registered at once (default 65536)");

static struct sr_proc *lookup(struct pid *tgid)
{
	struct sr_proc *e;

	hash_for_each_possible_rcu(table, e, node, (unsigned long)tgid)
		if (e->tgid == tgid)
			return e;
	return NULL;
}

static void free_proc_rcu(struct rcu_head *h)
{
	struct sr_proc *e = container_of(h, struct sr_proc, rcu);

	put_pid(e->tgid);
	kfree(e);
	module_put(THIS_MODULE);
}

/* Under table_lock. */
static void remove_proc(struct sr_proc *e)
{
	hash_del_rcu(&e->node);
	atomic_dec(&nentries);
	call_rcu(&e->rcu, free_proc_rcu);
}

/* Add or replace tgid's row (copied from tmpl).  gfp: GFP_KERNEL
 * from the ioctl, GFP_ATOMIC from the fork tracepoint. */
static int add_proc(struct pid *tgid, const struct sr_proc *tmpl, gfp_t gfp)
{
	struct sr_proc *e, *old;

	if (atomic_read(&nentries) >= max_entries)
		return -ENOSPC;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	e = kmalloc(sizeof(*e), gfp);
	if (!e) {
		module_put(THIS_MODULE);
		return -ENOMEM;
	}
	e->tgid = get_pid(tgid);
	e->entry = tmpl->entry;
	e->exempt_lo = tmpl->exempt_lo;
	e->exempt_hi = tmpl->exempt_hi;
	e->flags = tmpl->flags;
	e->entry32 = tmpl->entry32;
	memcpy(e->label, tmpl->label, sizeof(e->label));
	bitmap_copy(e->calls, tmpl->calls, SELREDIR_NSYS);
	atomic64_set(&e->redirected, 0);
	spin_lock(&table_lock);
	old = lookup(tgid);
	if (old)
		remove_proc(old);
	hash_add_rcu(table, &e->node, (unsigned long)tgid);
	atomic_inc(&nentries);
	spin_unlock(&table_lock);
	return 0;
}

/* A copy of tgid's row, if it has one (copies stay valid after the RCU
 * read section; the original may be freed). */
static bool copy_proc(struct pid *tgid, struct sr_proc *copy)
{
	struct sr_proc *e;

	rcu_read_lock();
	e = lookup(tgid);
	if (e)
		*copy = *e;
	rcu_read_unlock();
	return e != NULL;
}

/* Returns whether there was a row. */
static bool drop_proc(struct pid *tgid)
{
	struct sr_proc *e;

	if (!atomic_read(&nentries))
		return false;
	spin_lock(&table_lock);
	e = lookup(tgid);
	if (e)
		remove_proc(e);
	spin_unlock(&table_lock);
	return e != NULL;
}

/* ---- the work flag */

/* Whether the task set up Syscall User Dispatch itself (prctl). */
static bool own_sud(const struct task_struct *t)
{
	const struct syscall_user_dispatch *sd = &t->syscall_dispatch;

	return sd->selector || sd->offset || sd->len;
}

static void flag_thread(struct task_struct *t)
{
	set_task_syscall_work(t, SYSCALL_USER_DISPATCH);
}

/* A task that set up SUD itself keeps the bit (its own dispatch needs it). */
static void unflag_thread(struct task_struct *t)
{
	if (!own_sud(t))
		clear_task_syscall_work(t, SYSCALL_USER_DISPATCH);
}

static void flag_process(struct task_struct *p, bool on)
{
	struct task_struct *t;

	rcu_read_lock();
	for_each_thread(p, t) {
		if (on)
			flag_thread(t);
		else
			unflag_thread(t);
	}
	rcu_read_unlock();
}

/* ---- the redirect */

enum { RUN_NATIVE, REDIRECT, STALE_FLAG, DENY, REDIRECT32 };
#define ACTION_TID 0x100	/* or'ed into REDIRECT*: pass the thread id */

/* %rax at the entry: the number, and under SELREDIR_F_TID the thread id. */
static unsigned long entry_ax(const struct pt_regs *regs, bool tid)
{
	unsigned long ax = (u32)regs->orig_ax;

	return tid ? ax | (unsigned long)(u32)task_pid_vnr(current) << 32 : ax;
}

/* An ia32 call cannot leave its return address in %rcx (that is its second
 * argument): push it below the red zone, where entry32 pops it. */
static bool redirect32(struct pt_regs *regs, unsigned long entry, bool tid)
{
	unsigned long sp = regs->sp - 128 - sizeof(long);

	if (put_user(regs->ip, (unsigned long __user *)sp)) {
		regs->ax = -EFAULT;	/* no room on its stack: the call fails */
		return true;
	}
	regs->sp = sp;
	regs->ip = entry;
	regs->ax = entry_ax(regs, tid);
	return true;
}

/*
 * Runs instead of syscall_user_dispatch(regs) for a flagged task; the
 * callback passes its decision and the entry as extra arguments.  Returns
 * true when the call is not to be run: the entry code skips it, leaves
 * %rax alone and returns to user space at regs->ip.  on_dispatch makes the
 * exit work skip audit, tracepoints and ptrace for the call, as for SUD's
 * own dispatch (their entry side did not run either).  The positive %rax
 * keeps the signal code from taking it for a restartable error.  Nothing
 * here sleeps.
 */
static bool selredir_dispatch(struct pt_regs *regs, unsigned long action, unsigned long entry)
{
	bool tid = action & ACTION_TID;

	action &= ~ACTION_TID;
	if (action == STALE_FLAG) {
		unflag_thread(current);
		return false;
	}
	if (action == DENY) {
		regs->ax = -ENOSYS;
		current->syscall_dispatch.on_dispatch = true;
		return true;
	}
	if (action == REDIRECT32) {
		current->syscall_dispatch.on_dispatch = true;
		return redirect32(regs, entry, tid);
	}
	if (action != REDIRECT)
		return false;
	regs->ip = entry;
	regs->ax = entry_ax(regs, tid);
	current->syscall_dispatch.on_dispatch = true;
	return true;
}

/*
 * The ftrace callback at syscall_user_dispatch(regs), reached only by
 * flagged tasks: ours, and processes using SUD themselves (left alone).
 * A call is redirected when it is a native 64-bit call whose number is in
 * the process's bitmap, made from outside its exempt range.  ia32 and x32
 * calls go to the compat entry when there is one (SELREDIR_IOC_COMPAT),
 * else run natively, or fail with ENOSYS under SELREDIR_F_DENY_COMPAT.
 */
static void notrace selredir_ftrace(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *kregs = ftrace_get_regs(fregs);
	const struct pt_regs *uregs;
	struct sr_proc *e;
	unsigned long nr, call_ip, action = RUN_NATIVE, entry = 0;
	unsigned int flags = 0;

	if (!kregs)
		return;
	uregs = (const struct pt_regs *)kregs->di;
	nr = uregs->orig_ax;
	call_ip = uregs->ip - 2;	/* the 2-byte syscall instruction */
	rcu_read_lock();
	e = lookup(task_tgid(current));
	if (e)
		flags = e->flags;
	if (!e) {
		action = STALE_FLAG;	/* unregistered meanwhile, or SUD's own */
	} else if (in_ia32_syscall() || (nr & __X32_SYSCALL_BIT)) {
		if (call_ip >= e->exempt_lo && call_ip < e->exempt_hi) {
			;			/* runsel's own: run it */
		} else if (e->entry32) {
			action = in_ia32_syscall() ? REDIRECT32 : REDIRECT;
			entry = in_ia32_syscall() ? e->entry32 : e->entry;
			atomic64_inc(&e->redirected);
		} else if (e->flags & SELREDIR_F_DENY_COMPAT) {
			action = DENY;
		}
	} else if (nr < SELREDIR_NSYS && test_bit(nr, e->calls) &&
		   (call_ip < e->exempt_lo || call_ip >= e->exempt_hi)) {
		action = REDIRECT;
		entry = e->entry;
		atomic64_inc(&e->redirected);
	}
	rcu_read_unlock();
	if (action == STALE_FLAG && own_sud(current))
		return;			/* the kernel's own SUD handles it */
	if ((action == REDIRECT || action == REDIRECT32) && (flags & SELREDIR_F_TID))
		action |= ACTION_TID;
	kregs->si = action;
	kregs->dx = entry;
	instruction_pointer_set(kregs, (unsigned long)selredir_dispatch);
}

/* No FTRACE_OPS_FL_RECURSION: the callback calls nothing that can lead
 * back to syscall_user_dispatch. */
static struct ftrace_ops redirect_ops = {
	.func = selredir_ftrace,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

/* syscall_user_dispatch is not exported: a kprobe registered by name
 * finds it. */
static unsigned long find_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

/* ---- process life: fork inherits, exec and exit drop */

/* Runs in the parent before the child is first woken.  A new thread of a
 * registered process gets the work flag (the kernel does not copy it); a
 * child process also gets its own row.  A child that cannot be
 * registered is killed before it runs a user instruction: a sandboxed
 * program must not escape by forking when the table is full. */
static void on_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct sr_proc copy;

	if (likely(!atomic_read(&nentries)))
		return;
	if (!copy_proc(task_tgid(parent), &copy))
		return;
	if (task_tgid(child) != task_tgid(parent) && add_proc(task_tgid(child), &copy, GFP_ATOMIC)) {
		pr_warn_ratelimited("selredir: child %d of registered process %d could not be registered: killed\n",
				    task_pid_nr(child), task_tgid_nr(parent));
		send_sig(SIGKILL, child, 1);
		return;
	}
	flag_thread(child);
}

/* The new image starts unregistered (the loader registers it again when
 * it is selected); exec has made the process single-threaded. */
static void on_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (drop_proc(task_tgid(p)))
		unflag_thread(p);
}

static void on_exit_task(void *data, struct task_struct *p)
{
	if (!atomic_read(&p->signal->live))	/* the last thread of the process */
		drop_proc(task_tgid(p));
}

struct tp_probe {
	const char *name;
	void *fn;
	struct tracepoint *tp;
};

static struct tp_probe probes[] = {
	{ "sched_process_fork", on_fork },
	{ "sched_process_exec", on_exec },
	{ "sched_process_exit", on_exit_task },
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
		if (!strcmp(tp->name, probes[i].name))
			probes[i].tp = tp;
}

static void unregister_probes(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
		if (probes[i].tp)
			tracepoint_probe_unregister(probes[i].tp, probes[i].fn, NULL);
	tracepoint_synchronize_unregister();
}

static int register_probes(void)
{
	int r;

	for_each_kernel_tracepoint(find_tracepoint, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		if (!probes[i].tp)
			return -ENOENT;
		r = tracepoint_probe_register(probes[i].tp, probes[i].fn, NULL);
		if (r) {
			probes[i].tp = NULL;
			return r;
		}
	}
	return 0;
}

/* ---- the device */

/* The entry and the exempt range must lie in executable mappings of the
 * caller: a registration pointing anywhere else is refused. */
static bool executable(unsigned long addr)
{
	struct vm_area_struct *vma;
	bool ok;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	ok = vma && (vma->vm_flags & VM_EXEC);
	mmap_read_unlock(current->mm);
	return ok;
}

static long do_register(void __user *arg)
{
	struct selredir_register req;
	struct sr_proc tmpl;
	long r;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.version != SELREDIR_VERSION)
		return -EPROTO;
	if ((req.flags & ~(SELREDIR_F_DENY_COMPAT | SELREDIR_F_TID)) || req.exempt_lo >= req.exempt_hi ||
	    !current->mm)
		return -EINVAL;
	if (!executable(req.entry) || !executable(req.exempt_lo) || !executable(req.exempt_hi - 1))
		return -EINVAL;
	tmpl.entry = req.entry;
	tmpl.flags = req.flags;
	tmpl.entry32 = 0;
	tmpl.label[0] = 0;
	tmpl.exempt_lo = req.exempt_lo;
	tmpl.exempt_hi = req.exempt_hi;
	bitmap_from_arr64(tmpl.calls, req.bitmap, SELREDIR_NSYS);
	if (own_sud(current))
		return -EBUSY;		/* it dispatches its calls itself */
	r = add_proc(task_tgid(current), &tmpl, GFP_KERNEL);
	if (r)
		return r;
	/* After the row exists: a thread being created now either is in the
	 * list already or finds the row in on_fork. */
	flag_process(current, true);
	return 0;
}

/* Replace the caller's row by a copy with the new label (readers of the
 * table see the old or the new row, never a half-written string). */
static long do_label(void __user *arg)
{
	struct selredir_label l;
	struct sr_proc copy;
	size_t n;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (l.version != SELREDIR_VERSION)
		return -EPROTO;
	n = strnlen(l.text, sizeof(l.text));
	if (l.reserved || n == sizeof(l.text))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (l.text[i] < 0x20 || l.text[i] > 0x7e)
			return -EINVAL;
	if (!copy_proc(task_tgid(current), &copy))
		return -ESRCH;
	memcpy(copy.label, l.text, n + 1);
	return add_proc(task_tgid(current), &copy, GFP_KERNEL);
}

/* Replace the caller's entry by a copy with a compat entry (as do_label). */
static long do_compat(void __user *arg)
{
	struct selredir_compat c;
	struct sr_proc copy;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.version != SELREDIR_VERSION)
		return -EPROTO;
	if (c.reserved || (c.entry32 && !executable(c.entry32)))
		return -EINVAL;
	if (!copy_proc(task_tgid(current), &copy))
		return -ESRCH;
	copy.entry32 = c.entry32;
	return add_proc(task_tgid(current), &copy, GFP_KERNEL);
}

static long do_query(void __user *arg)
{
	struct selredir_query q;
	struct pid *pid;
	struct sr_proc *e;
	long r = -ESRCH;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	if (q.version != SELREDIR_VERSION)
		return -EPROTO;
	if (q.pid && q.pid != task_tgid_vnr(current) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	pid = q.pid ? find_get_pid(q.pid) : get_pid(task_tgid(current));
	if (!pid)
		return -ESRCH;
	rcu_read_lock();
	e = lookup(pid);
	if (e) {
		q.entry = e->entry;
		q.exempt_lo = e->exempt_lo;
		q.exempt_hi = e->exempt_hi;
		q.redirected = atomic64_read(&e->redirected);
		r = 0;
	}
	rcu_read_unlock();
	put_pid(pid);
	if (!r && copy_to_user(arg, &q, sizeof(q)))
		r = -EFAULT;
	return r;
}

static long selredir_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case SELREDIR_IOC_REGISTER:
		return do_register((void __user *)arg);
	case SELREDIR_IOC_UNREGISTER:
		if (drop_proc(task_tgid(current)))
			flag_process(current, false);
		return 0;
	case SELREDIR_IOC_QUERY:
		return do_query((void __user *)arg);
	case SELREDIR_IOC_LABEL:
		return do_label((void __user *)arg);
	case SELREDIR_IOC_COMPAT:
		return do_compat((void __user *)arg);
	}
	return -ENOTTY;
}

static const struct file_operations selredir_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = selredir_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice selredir_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "selredir",
	.fops = &selredir_fops,
	.mode = 0666,
};

/* /proc/selredir: the association table, for administrators (root only:
 * the entry addresses would tell others where a process's code is). */
static int table_show(struct seq_file *m, void *v)
{
	struct sr_proc *e;
	int bkt;

	seq_puts(m, "pid entry exempt redirected flags stack\n");
	rcu_read_lock();
	hash_for_each_rcu(table, bkt, e, node)
		seq_printf(m, "%d %#lx %#lx-%#lx %lld %#x %s\n", pid_nr(e->tgid), e->entry,
			   e->exempt_lo, e->exempt_hi, atomic64_read(&e->redirected), e->flags,
			   e->label[0] ? e->label : "-");
	rcu_read_unlock();
	return 0;
}

static int __init selredir_init(void)
{
	unsigned long dispatch_addr;
	int r;

	dispatch_addr = find_symbol("syscall_user_dispatch");
	if (!dispatch_addr) {
		pr_err("selredir: syscall_user_dispatch not found (kernel without Syscall User Dispatch?)\n");
		return -ENOENT;
	}
	r = ftrace_set_filter_ip(&redirect_ops, dispatch_addr, 0, 0);
	if (r)
		return r;
	r = register_probes();
	if (r)
		goto fail_probes;
	r = register_ftrace_function(&redirect_ops);
	if (r)
		goto fail_probes;
	r = misc_register(&selredir_dev);
	if (r)
		goto fail_hook;
	if (!proc_create_single("selredir", 0400, NULL, table_show))
		pr_warn("selredir: /proc/selredir not created\n");
	pr_info("selredir: loaded (syscall_user_dispatch at %px)\n", (void *)dispatch_addr);
	return 0;
fail_hook:
	unregister_ftrace_function(&redirect_ops);
fail_probes:
	unregister_probes();
	ftrace_free_filter(&redirect_ops);
	return r;
}

/* A thread created while its process unregistered can keep the flag; the
 * callback clears it at its next call, but without the module the kernel's
 * own syscall_user_dispatch() would take it for a SUD user and send SIGSYS.
 * So clear every flag that is not a SUD user's own. */
static void unflag_all(void)
{
	struct task_struct *p, *t;

	rcu_read_lock();
	for_each_process_thread(p, t)
		if (test_task_syscall_work(t, SYSCALL_USER_DISPATCH))
			unflag_thread(t);
	rcu_read_unlock();
}

/* Unload is possible only with nothing registered (each row holds a
 * module reference).  Then: clear leftover flags and let every task that
 * read its flag before that pass the still-installed hook; unhook and wait
 * until no task can still be between the callback and the end of
 * selredir_dispatch (neither sleeps, so an RCU-tasks grace period covers
 * both); wait for the RCU callbacks freeing rows. */
static void __exit selredir_exit(void)
{
	remove_proc_entry("selredir", NULL);
	misc_deregister(&selredir_dev);
	unregister_probes();
	unflag_all();
	/* a task that read its flag before unflag_all() calls into the hook */
	synchronize_rcu_tasks();
	unregister_ftrace_function(&redirect_ops);
	ftrace_free_filter(&redirect_ops);
	synchronize_rcu_tasks();
	rcu_barrier();
}

module_init(selredir_init);
module_exit(selredir_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("runsel developers");
MODULE_DESCRIPTION("runsel: redirect selected processes' system calls to their in-process wrapper");
MODULE_VERSION("0.1");
