// SPDX-License-Identifier: GPL-2.0
/*
 * selredir — runsel's kernel redirect backend.
 *
 * Selected processes register their wrapper entry here (selredir.h).  The
 * module keeps the association table (process -> entry, exempt range, call
 * bitmap) and, at system call entry, sends the calls a registered process
 * asked for straight to its entry in user space: no signal frame, no
 * sigreturn.  While nothing is registered the hook is off and system calls
 * run as without the module; while something is, other processes pay the
 * ftrace trampoline and a table lookup per call.
 *
 * Where: x86-64 system calls are dispatched through x64_sys_call() (a
 * switch since the 2024 BHI change: patching sys_call_table does nothing).
 * An ftrace_ops with SAVE_REGS|IPMODIFY on x64_sys_call diverts a selected
 * call to selredir_sys_call(), which has x64_sys_call's signature and runs
 * in normal syscall context: it points the user registers' ip at the
 * wrapper entry and returns the call number, which becomes user %rax.  The
 * user %rcx (the return address) and %r11 are untouched.  Only native
 * 64-bit calls pass through x64_sys_call; ia32/x32 never do.
 *
 * The table is keyed by the process's struct pid (a reference is held), so
 * a reused pid number is a different key; entries are RCU-protected, added
 * on register and on fork of a registered process, removed on unregister,
 * exec and when the process's last thread exits.
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
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <asm/syscall.h>
#include "selredir.h"

struct sel_entry {
	struct hlist_node node;
	struct pid *tgid;		/* key; reference held */
	unsigned long entry, exempt_lo, exempt_hi;
	DECLARE_BITMAP(calls, SELREDIR_NSYS);
	atomic64_t redirected;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(table, 10);
static DEFINE_SPINLOCK(table_lock);
static atomic_t nentries = ATOMIC_INIT(0);
static unsigned long sys_call_addr;		/* x64_sys_call */

static unsigned long max_entries = 65536;
module_param(max_entries, ulong, 0644);
MODULE_PARM_DESC(max_entries, "most processes registered at once (default 65536)");

static unsigned int unhook_delay_ms = 1000;
module_param(unhook_delay_ms, uint, 0644);
MODULE_PARM_DESC(unhook_delay_ms,
		 "how long the system call hook stays on after the last process unregistered (default 1000)");

static bool hook_always;
module_param(hook_always, bool, 0444);
MODULE_PARM_DESC(hook_always,
		 "keep the system call hook on from load to unload instead of only while processes are registered (default N)");

static void unhook_idle(struct work_struct *w);
static DECLARE_DELAYED_WORK(unhook_work, unhook_idle);

static struct sel_entry *lookup(struct pid *tgid)
{
	struct sel_entry *e;

	hash_for_each_possible_rcu(table, e, node, (unsigned long)tgid)
		if (e->tgid == tgid)
			return e;
	return NULL;
}

static void free_entry_rcu(struct rcu_head *h)
{
	struct sel_entry *e = container_of(h, struct sel_entry, rcu);

	put_pid(e->tgid);
	kfree(e);
	module_put(THIS_MODULE);
}

/* Under table_lock.  The last entry gone, the hook comes off a little
 * later (unhook_idle). */
static void remove_entry(struct sel_entry *e)
{
	hash_del_rcu(&e->node);
	if (atomic_dec_and_test(&nentries))
		schedule_delayed_work(&unhook_work, msecs_to_jiffies(unhook_delay_ms));
	call_rcu(&e->rcu, free_entry_rcu);
}

/* Add or replace the entry for tgid (copied from tmpl).  gfp: GFP_KERNEL
 * from the ioctl, GFP_ATOMIC from the fork tracepoint. */
static int add_entry(struct pid *tgid, const struct sel_entry *tmpl, gfp_t gfp)
{
	struct sel_entry *e, *old;

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
	bitmap_copy(e->calls, tmpl->calls, SELREDIR_NSYS);
	atomic64_set(&e->redirected, 0);
	spin_lock(&table_lock);
	old = lookup(tgid);
	if (old)
		remove_entry(old);
	hash_add_rcu(table, &e->node, (unsigned long)tgid);
	atomic_inc(&nentries);
	spin_unlock(&table_lock);
	return 0;
}

static void drop_entry(struct pid *tgid)
{
	struct sel_entry *e;

	if (!atomic_read(&nentries))
		return;
	spin_lock(&table_lock);
	e = lookup(tgid);
	if (e)
		remove_entry(e);
	spin_unlock(&table_lock);
}

/* ---- the redirect */

/*
 * Runs instead of x64_sys_call for a call to redirect; the ftrace callback
 * passes the entry as a third argument.  The call is not run: the thread
 * returns to user space at the entry with %rax = the call number (positive,
 * so the signal code never treats it as a restartable error).  Nothing here
 * sleeps or looks anything up, so nothing can be left half-done on unload.
 */
static long selredir_sys_call(const struct pt_regs *cregs, unsigned int nr, unsigned long entry)
{
	struct pt_regs *regs = (struct pt_regs *)cregs;

	regs->ip = entry;	/* %rcx and %r11 keep the return address and flags */
	return nr;
}

/*
 * The ftrace callback at x64_sys_call(regs, nr): for a registered process,
 * a call in its bitmap made from outside its exempt range goes to
 * selredir_sys_call(regs, nr, entry) instead.  Everybody else pays a
 * hash lookup (the callback runs only while something is registered; the
 * nentries test covers the second before the hook comes off).
 */
static void notrace selredir_ftrace(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *kregs = ftrace_get_regs(fregs);
	const struct pt_regs *uregs;
	struct sel_entry *e;
	unsigned long nr, call_ip, entry = 0;

	if (likely(!atomic_read(&nentries)) || !kregs)
		return;
	uregs = (const struct pt_regs *)kregs->di;
	nr = kregs->si;
	if (nr >= SELREDIR_NSYS)
		return;
	call_ip = uregs->ip - 2;	/* the 2-byte syscall instruction */
	rcu_read_lock();
	e = lookup(task_tgid(current));
	if (e && test_bit(nr, e->calls) && (call_ip < e->exempt_lo || call_ip >= e->exempt_hi)) {
		entry = e->entry;
		atomic64_inc(&e->redirected);
	}
	rcu_read_unlock();
	if (entry) {
		kregs->dx = entry;
		instruction_pointer_set(kregs, (unsigned long)selredir_sys_call);
	}
}

/* No FTRACE_OPS_FL_RECURSION: the callback calls nothing that can lead
 * back to x64_sys_call, so ftrace may call it straight from the
 * trampoline, without its recursion-guard wrapper. */
static struct ftrace_ops redirect_ops = {
	.func = selredir_ftrace,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

/*
 * The hook is on only while some process is registered: with nothing
 * registered, every system call runs exactly as without the module (no
 * ftrace trampoline at all).  Turning it on or off patches kernel text and
 * sleeps, so the first registration turns it on (in the ioctl) and a
 * delayed work turns it off once the table has stayed empty for
 * unhook_delay_ms — programs that come and go do not patch text per exec.
 */
static DEFINE_MUTEX(hook_lock);
static bool hooked;

/* Under hook_lock. */
static int hook_on(void)
{
	int r = 0;

	if (!hooked) {
		r = register_ftrace_function(&redirect_ops);
		hooked = !r;
	}
	return r;
}

static void unhook_idle(struct work_struct *w)
{
	mutex_lock(&hook_lock);
	if (hooked && !hook_always && !atomic_read(&nentries)) {
		unregister_ftrace_function(&redirect_ops);
		hooked = false;
	}
	mutex_unlock(&hook_lock);
}

/* x64_sys_call is not exported: a kprobe registered by name finds it. */
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

/* Runs in the parent before the child is first woken.  A child that cannot
 * be registered is killed before it runs a user instruction: a sandboxed
 * program must not escape by forking when the table is full. */
static void on_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct sel_entry *e, copy;
	bool found = false;

	if (likely(!atomic_read(&nentries)) || task_tgid(child) == task_tgid(parent))
		return;			/* nothing registered, or a new thread */
	rcu_read_lock();
	e = lookup(task_tgid(parent));
	if (e) {
		copy = *e;
		found = true;
	}
	rcu_read_unlock();
	if (found && add_entry(task_tgid(child), &copy, GFP_ATOMIC)) {
		pr_warn_ratelimited("selredir: child %d of registered process %d could not be registered: killed\n",
				    task_pid_nr(child), task_tgid_nr(parent));
		send_sig(SIGKILL, child, 1);
	}
}

static void on_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	drop_entry(task_tgid(p));
}

static void on_exit_task(void *data, struct task_struct *p)
{
	if (!atomic_read(&p->signal->live))	/* the last thread of the process */
		drop_entry(task_tgid(p));
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
	struct sel_entry tmpl;
	long r;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.version != SELREDIR_VERSION)
		return -EPROTO;
	if (req.flags || req.exempt_lo >= req.exempt_hi || !current->mm)
		return -EINVAL;
	if (!executable(req.entry) || !executable(req.exempt_lo) || !executable(req.exempt_hi - 1))
		return -EINVAL;
	tmpl.entry = req.entry;
	tmpl.exempt_lo = req.exempt_lo;
	tmpl.exempt_hi = req.exempt_hi;
	bitmap_from_arr64(tmpl.calls, req.bitmap, SELREDIR_NSYS);
	/* Under hook_lock, unhook_idle cannot take the hook off between
	 * turning it on and the entry being added. */
	mutex_lock(&hook_lock);
	r = hook_on();
	if (!r)
		r = add_entry(task_tgid(current), &tmpl, GFP_KERNEL);
	mutex_unlock(&hook_lock);
	return r;
}

static long do_query(void __user *arg)
{
	struct selredir_query q;
	struct pid *pid;
	struct sel_entry *e;
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
		drop_entry(task_tgid(current));
		return 0;
	case SELREDIR_IOC_QUERY:
		return do_query((void __user *)arg);
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
	struct sel_entry *e;
	int bkt;

	seq_puts(m, "pid entry exempt redirected\n");
	rcu_read_lock();
	hash_for_each_rcu(table, bkt, e, node)
		seq_printf(m, "%d %#lx %#lx-%#lx %lld\n", pid_nr(e->tgid), e->entry,
			   e->exempt_lo, e->exempt_hi, atomic64_read(&e->redirected));
	rcu_read_unlock();
	return 0;
}

static int __init selredir_init(void)
{
	int r;

	sys_call_addr = find_symbol("x64_sys_call");
	if (!sys_call_addr) {
		pr_err("selredir: x64_sys_call not found (kernel without the switch dispatch?)\n");
		return -ENOENT;
	}
	r = ftrace_set_filter_ip(&redirect_ops, sys_call_addr, 0, 0);
	if (r)
		return r;
	r = register_probes();
	if (r)
		goto fail_probes;
	if (hook_always) {
		mutex_lock(&hook_lock);
		r = hook_on();
		mutex_unlock(&hook_lock);
		if (r)
			goto fail_probes;
	}
	r = misc_register(&selredir_dev);
	if (r)
		goto fail_hook;
	if (!proc_create_single("selredir", 0400, NULL, table_show))
		pr_warn("selredir: /proc/selredir not created\n");
	pr_info("selredir: loaded (x64_sys_call at %px)\n", (void *)sys_call_addr);
	return 0;
fail_hook:
	if (hooked)
		unregister_ftrace_function(&redirect_ops);
fail_probes:
	unregister_probes();
	ftrace_free_filter(&redirect_ops);
	return r;
}

/* Unload is possible only with nothing registered (each entry holds a
 * module reference).  Then: stop diverting; wait until no task can still
 * be between the callback and the end of selredir_sys_call (neither sleeps,
 * so one RCU-tasks grace period covers them); wait for the RCU callbacks
 * freeing entries. */
static void __exit selredir_exit(void)
{
	remove_proc_entry("selredir", NULL);
	misc_deregister(&selredir_dev);
	cancel_delayed_work_sync(&unhook_work);
	if (hooked)
		unregister_ftrace_function(&redirect_ops);
	ftrace_free_filter(&redirect_ops);
	unregister_probes();
	synchronize_rcu_tasks();
	rcu_barrier();
}

module_init(selredir_init);
module_exit(selredir_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("runsel developers");
MODULE_DESCRIPTION("runsel: redirect selected processes' system calls to their in-process wrapper");
MODULE_VERSION("0.1");
