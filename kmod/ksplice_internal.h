/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces between the files of the ksplice core.
 *
 * Locking: ksplice_mutex serialises registration, apply, undo and every
 * read of a patch's state.  Apply and undo nest, in this order:
 * ksplice_mutex -> cpus_read_lock() -> text_mutex -> stop_machine.
 */
#ifndef KSPLICE_INTERNAL_H
#define KSPLICE_INTERNAL_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/static_call.h>
#include <linux/stop_machine.h>
#include <linux/types.h>

#include "ksplice_patch.h"

#ifdef CONFIG_ARM64
/*
 * One B instruction at a replaced function's entry.  Every function has
 * room for it, so there are no traps: a site shorter than the jump is
 * refused as too short.
 */
#define KSPLICE_JUMP_SIZE	4
#define KSPLICE_TRAP_SIZE	KSPLICE_JUMP_SIZE
/*
 * ... or, where the new code is beyond the B's reach (modules placed
 * anywhere in 2 GB by KASLR), a veneer of four words (the arch file).
 */
#define KSPLICE_SITE_MAX	16
#else
/* Bytes written at a replaced function's entry (x86: jmp rel32). */
#define KSPLICE_JUMP_SIZE	5
/* ... or, where the function has fewer, a trap (x86: int3; ksplice_traps.c). */
#define KSPLICE_TRAP_SIZE	1
#define KSPLICE_SITE_MAX	KSPLICE_JUMP_SIZE
#endif

/* Busy ranges per function on apply: itself, its .cold part, a patch below. */
#define KSPLICE_RANGES_PER_FUNC	3

/* Longest abort cause: a symbol name plus the fixed text around it. */
#define KSPLICE_CAUSE_LEN	(KSYM_NAME_LEN + 128)

/*
 * Why the last apply or undo failed: the first word of abort_cause and
 * all of abort_kind (docs/core.md lists each with its form).
 */
enum ksplice_abort {
	KSPLICE_ABORT_NONE,
	KSPLICE_ABORT_BUSY,
	KSPLICE_ABORT_CODE_MISMATCH,
	KSPLICE_ABORT_HOOK,
	KSPLICE_ABORT_STACKED,
	KSPLICE_ABORT_NOT_FOUND,
	KSPLICE_ABORT_AMBIGUOUS,
	KSPLICE_ABORT_RELOC_RANGE,
	KSPLICE_ABORT_TOO_SHORT,
	KSPLICE_ABORT_ENTRY_SITE,
	KSPLICE_ABORT_LIVEPATCH,
	KSPLICE_ABORT_IBT,
	KSPLICE_ABORT_VENEER,
};

enum ksplice_stage {
	KSPLICE_LOADED,
	KSPLICE_APPLIED,
	KSPLICE_REVERSED,
};

/* What the core keeps per replaced function, beside struct ksplice_func. */
struct ksplice_site {
	unsigned long addr;		/* where the jump goes: entry or past endbr */
	unsigned int size;		/* the jump's, a trap's or a veneer's */
	u8 jump[KSPLICE_SITE_MAX];	/* the jump (or trap) written there */
	/*
	 * The bytes the jump replaced, put back on undo: the core's own (the
	 * patch's struct ksplice_func has room for x86's five only).
	 */
	u8 saved[KSPLICE_SITE_MAX];
	bool live;			/* written, and its module still loaded */
	unsigned long cold_addr;	/* the old function's .cold part, or 0 */
	/*
	 * Stacking: another applied patch's jump is at addr.  expect is that
	 * jump (what must be there when ours goes in, and what undo puts
	 * back); below_* its new code, where no task may be either.
	 */
	const u8 *expect;
	unsigned long below_start, below_end;
};

/* A site entered through a one-byte trap rather than a jump. */
static inline bool ksplice_site_is_trap(const struct ksplice_site *site)
{
	return site->addr && site->size < KSPLICE_JUMP_SIZE;
}

/* A site entered through a veneer (arm64) rather than one branch. */
static inline bool ksplice_site_is_veneer(const struct ksplice_site *site)
{
	return site->addr && site->size > KSPLICE_JUMP_SIZE;
}

/*
 * During an apply that replaces the other applied patches (a cumulative
 * patch, "replace"): what the stopped window writes beside the new jumps.
 */
struct ksplice_replace_plan {
	struct ksplice_priv **olds;	/* the applied patches it replaces */
	unsigned int nr_olds;
	/* Sites of theirs the new patch does not cover: original bytes back. */
	struct ksplice_poke *restores;
	const u8 **expect;		/* per restore: the topmost jump there */
	const struct ksplice_func **restore_funcs;	/* ... and its function */
	unsigned int nr_restores;
	/* Per new function over an older jump: the original entry bytes. */
	const u8 **original;
};

/* The core's view of one registered patch; patch->core_private. */
struct ksplice_priv {
	struct kobject kobj;		/* /sys/kernel/ksplice/<id>/ */
	struct list_head list;		/* on ksplice_patches */
	struct ksplice_patch *patch;
	struct ksplice_site *sites;	/* patch->nr_funcs entries */
	enum ksplice_stage stage;
	u64 seq;			/* when it was last applied: stacking order */
	u64 tries;			/* stop_machine calls of the last attempt */
	u64 stop_ns;			/* last successful stopped window */
	u64 stop_call_ns;		/* ... and its whole stop_machine() call */
	u64 stop_scan_ns;		/* ... and the stack scan inside it */
	u64 call_thunks;		/* calls linked through depth thunks */
	enum ksplice_abort abort;	/* why the last attempt failed */
	char cause[KSPLICE_CAUSE_LEN];	/* "none", or its kind and details */
	struct module **pins;		/* during an apply: its target modules */
	struct ksplice_replace_plan *plan;	/* during a replacing apply */
	struct completion *released;	/* completed when kobj is released */
};

extern struct mutex ksplice_mutex;

/* ksplice_core.c */
extern struct list_head ksplice_patches;
int ksplice_apply(struct ksplice_priv *priv);
int ksplice_replace(struct ksplice_priv *priv);
int ksplice_module_coming(struct ksplice_priv *priv, const char *module);
const u8 *ksplice_original_entry(const struct ksplice_func *func,
				 unsigned long addr, unsigned long *site,
				 unsigned int *size);
void ksplice_module_going(struct ksplice_priv *priv, const char *module);
int ksplice_undo(struct ksplice_priv *priv);
const char *ksplice_stage_name(enum ksplice_stage stage);
const char *ksplice_func_object(const struct ksplice_func *func);
void ksplice_priv_free(struct ksplice_priv *priv);
const char *ksplice_abort_name(enum ksplice_abort abort);
__printf(3, 4) void ksplice_set_cause(struct ksplice_priv *priv,
				      enum ksplice_abort abort,
				      const char *fmt, ...);
void ksplice_clear_cause(struct ksplice_priv *priv);

/* ksplice_sysfs.c */
int ksplice_sysfs_init(void);
void ksplice_sysfs_exit(void);
int ksplice_sysfs_add(struct ksplice_priv *priv);
void ksplice_sysfs_del(struct ksplice_priv *priv);
void ksplice_sysfs_put(struct ksplice_priv *priv);

/*
 * ksplice_symbols.c: the running kernel's non-exported parts we use.
 * Its functions are called through static calls, direct jumps the core
 * points at them once it found them, never through a pointer: on a CPU
 * with IBT an indirect call must land on endbr64, and the kernel seals
 * (removes) the endbr64 of every function whose address it never takes,
 * these among them.
 */
DECLARE_STATIC_CALL(ksplice_stop_machine_cpuslocked, stop_machine_cpuslocked);
DECLARE_STATIC_CALL(ksplice_idle_task, idle_task);
DECLARE_STATIC_CALL(ksplice_task_call_func, task_call_func);

struct ksplice_kernel {
	struct mutex *text_mutex;
};

extern struct ksplice_kernel ksplice_kernel;

int ksplice_symbols_init(unsigned long kallsyms_lookup_name_addr);
int ksplice_check_build_id(const struct ksplice_patch *patch);
unsigned long ksplice_kernel_func(const char *name, bool required);
unsigned long ksplice_kernel_data(const char *name);
int ksplice_find_func(struct ksplice_priv *priv,
		      const struct ksplice_func *func, unsigned long *addr);
int ksplice_resolve_symbol(struct ksplice_priv *priv, const char *module,
			   const char *name, unsigned long *addr);
int ksplice_resolve_anchored(struct ksplice_priv *priv, const char *module,
			     const char *name, const char *anchor, long offset,
			     unsigned long *addr);

/* ksplice_module.c: targets inside loadable modules. */
int ksplice_module_init(void);
void ksplice_module_exit(void);
struct module *ksplice_module_get(const char *module);
unsigned long ksplice_module_symbol(const char *module, const char *name);

/* ksplice_livepatch.c: another live patcher on the same function. */
void ksplice_livepatch_init(void);
bool ksplice_livepatch_owner(unsigned long addr, char *buf, size_t size);

/* ksplice_hooks.c */
int ksplice_check_hooks(const struct ksplice_patch *patch);
int ksplice_run_check_hooks(struct ksplice_priv *priv, unsigned int kind,
			    unsigned int *ran);
void ksplice_run_hooks(const struct ksplice_patch *patch, unsigned int kind);

/* ksplice_shadow.c */
void ksplice_shadow_exit(void);

/* ksplice_reloc.c */
int ksplice_check_relocs(const struct ksplice_patch *patch);
int ksplice_apply_relocs(struct ksplice_priv *priv, const char *module);

/*
 * One site to write with the machine stopped: the bytes that go there,
 * and where an NMI that meets the site halfway is sent instead (the new
 * code, which stays loaded until the write is long done).
 */
struct ksplice_poke {
	unsigned long addr;
	unsigned int size;		/* of bytes: a jump's, a trap's, a veneer's */
	u8 bytes[KSPLICE_SITE_MAX];
	unsigned long target;
};

/* ksplice_reserved.c: text the kernel rewrites by itself. */
void ksplice_reserved_init(void);
bool ksplice_text_reserved(unsigned long addr, unsigned int len);

/* ksplice_traps.c: the live trap sites, read in the trap's context. */
struct ksplice_traps;
struct ksplice_traps *ksplice_traps_build(const struct ksplice_priv *top,
					  const struct ksplice_priv *gone);
struct ksplice_traps *ksplice_traps_swap(struct ksplice_traps *traps);
void ksplice_traps_free(struct ksplice_traps *traps);
int ksplice_traps_refresh(void);
void ksplice_traps_forget(unsigned long addr);

/* The sites ksplice_arch_poke_stopped() is writing, for a trap handler. */
struct ksplice_redirect {
	const struct ksplice_poke *pokes;
	unsigned int nr;
};

void ksplice_redirect_start(struct ksplice_redirect *r,
			    const struct ksplice_poke *pokes, unsigned int nr);
void ksplice_redirect_end(void);
unsigned long ksplice_redirect_target(unsigned long addr);

/* ksplice_stack.c: one stop_machine() call, scan, and write if idle. */
struct ksplice_range {
	unsigned long start;
	unsigned long end;		/* exclusive */
};

struct ksplice_sorted_range {
	unsigned long start, end;
	unsigned long max_end;		/* of this range and every one before */
	unsigned int index;		/* into ksplice_stop.ranges */
};

/* A task whose stack was read clear before the machine stopped. */
struct ksplice_seen {
	struct task_struct *task;
	unsigned long switches;		/* its context switches then */
};

struct ksplice_stop {
	/* Set by the caller. */
	const struct ksplice_range *ranges;
	unsigned int nr_ranges;
	struct task_struct *caller;	/* the task that asked: not scanned */
	int (*write)(void *arg);	/* runs stopped when nothing is busy */
	void *arg;

	/* Results of the last ksplice_stop_once(). */
	bool busy;
	unsigned int busy_range;	/* index into ranges */
	unsigned long busy_addr;	/* the stack word that hit */
	pid_t busy_pid;
	char busy_comm[TASK_COMM_LEN];
	int write_ret;
	u64 stop_ns;
	u64 scan_ns;			/* the part of stop_ns spent scanning */
	u64 call_ns;			/* the whole stop_machine() call */

	/* The non-empty ranges by start, private to ksplice_stack.c. */
	struct ksplice_sorted_range *sorted;
	unsigned int nr_sorted;

	/* Tasks read clear before the stop, private to ksplice_stack.c. */
	struct ksplice_seen *seen;	/* open addressing, by task */
	unsigned int seen_bits;		/* 1 << seen_bits slots */
	unsigned int nr_seen, max_seen;	/* max_seen: half the slots */

	/* Rendezvous of the CPUs, private to ksplice_stack.c. */
	atomic_t arrived;
	unsigned int nr_cpus;
	int done;
	struct task_struct **stoppers;	/* indexed by CPU */
	struct ksplice_text_alias *alias;	/* writable view of the sites */
	unsigned int sync_gen;		/* bumped: every other CPU syncs */
	atomic_t synced;		/* ... and says so here */
};

int ksplice_stop_once(struct ksplice_stop *stop);
void ksplice_stop_poke(struct ksplice_stop *stop,
		       const struct ksplice_poke *pokes, unsigned int nr,
		       struct ksplice_traps **traps);
int ksplice_empty_stop(u64 *call_ns);

/* ksplice_kernel.c: everything that differs between kernel versions. */
typedef int (*ksplice_symbol_fn)(void *data, const char *name,
				 unsigned long addr);
/* Called per return address (or word that may be one); true stops. */
typedef bool (*ksplice_word_fn)(void *data, unsigned long word);

int ksplice_kernel_init(void);
int ksplice_kernel_each_symbol(ksplice_symbol_fn fn, void *data);
void ksplice_kernel_module_text(const struct module *mod,
				unsigned long *start, unsigned long *end);
bool ksplice_kernel_in_module_core(const struct module *mod,
				   unsigned long addr, unsigned long size);
bool ksplice_kernel_ret_addrs(struct task_struct *task, ksplice_word_fn fn,
			      void *data);

/* ksplice_text_alias.c: a writable view of the sites' pages. */
struct ksplice_text_alias *ksplice_alias_text(const unsigned long *addrs,
					      unsigned int nr);
void ksplice_unalias_text(struct ksplice_text_alias *alias);
void *ksplice_alias_of(const struct ksplice_text_alias *alias, unsigned long addr);

/* arch/<arch>/ksplice_arch.c: everything architecture-specific. */
int ksplice_arch_init(void);
int ksplice_arch_start(void);
void ksplice_arch_stop(void);
bool ksplice_arch_can_jump_at(unsigned long site);
bool ksplice_arch_no_landing(const struct ksplice_reloc *r,
			     unsigned long sym);
unsigned long ksplice_arch_call_dest(const struct ksplice_reloc *r,
				     unsigned long sym);
int ksplice_arch_make_jump(u8 *insn, unsigned long from, unsigned long to,
			   unsigned int room, unsigned int size);
int ksplice_arch_reloc_value(const struct ksplice_reloc *r, unsigned long s_a,
			     u64 *value);
void ksplice_arch_make_trap(u8 *insn);
void ksplice_arch_write_text(void *addr, const void *src, size_t len);
struct page *ksplice_arch_text_page(unsigned long addr);
struct ksplice_text_alias;
void ksplice_arch_poke_stopped(const struct ksplice_text_alias *alias,
			       const struct ksplice_poke *pokes,
			       unsigned int nr, struct ksplice_traps **traps,
			       void (*sync)(void *arg), void *arg);
void ksplice_arch_sync_core(void);
unsigned long ksplice_arch_task_sp(struct task_struct *task);
unsigned long ksplice_arch_stack_word(unsigned long word);

enum ksplice_walk {
	KSPLICE_WALK_CLEAR,		/* every frame read, none hit */
	KSPLICE_WALK_HIT,		/* fn returned true */
	KSPLICE_WALK_UNRELIABLE,	/* no unwinder, or it is not sure */
};

enum ksplice_walk ksplice_arch_walk_stack(struct task_struct *task,
					  ksplice_word_fn fn, void *data);

#endif /* KSPLICE_INTERNAL_H */
