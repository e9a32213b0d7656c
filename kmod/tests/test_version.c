// SPDX-License-Identifier: GPL-2.0
/*
 * Test patch: replaces version_proc_show (/proc/version).  The new code
 * reaches the non-exported linux_proc_banner through two ksplice
 * relocations: a PC32 one into read-only data (which the core must write
 * with text_poke) and a 64-bit one into writable data.  It prints whether
 * both arrived; on arm64 also the instruction-field relocations (ADRP,
 * ADD, LDRB, BL).  With pre_size=N (N < 5) the old function is seen as N
 * bytes long, so its entry takes a trap (stacked over test_bad's).
 */
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <generated/utsrelease.h>

#include "ksplice_patch.h"
#include "pre_version_proc_show.h"

/* Read-only after load; read with READ_ONCE so the 0 is not folded in. */
static const s32 banner_pc32;
static const char *banner64;

#ifdef CONFIG_ARM64
/*
 * arm64's instruction-field relocations, in code the core writes: ADRP
 * and ADD give linux_proc_banner's address, LDRB (a 12-bit offset off
 * the ADRP's page) its first byte, and BL calls nr_processes(); none is
 * exported.  Until the core writes the BL it calls no_call, -1.
 */
extern u32 ksplice_test_adrp[], ksplice_test_add[], ksplice_test_ldrb[], ksplice_test_bl[];

asm(".pushsection .text\n"
	"ksplice_test_no_call: mov w0, #-1\n"
	"\tret\n"
	".popsection");

static noinline const char *arm64_banner(u8 *first)
{
	const char *page, *addr;
	u32 byte;

	asm volatile("ksplice_test_adrp: adrp %0, .\n"
		     "ksplice_test_add: add %1, %0, #0\n"
		     "ksplice_test_ldrb: ldrb %w2, [%0, #0]\n"
		     : "=&r" (page), "=&r" (addr), "=r" (byte));
	*first = byte;
	return addr;
}

static noinline int arm64_call(void)
{
	register long ret asm("x0");

	asm volatile("ksplice_test_bl: bl ksplice_test_no_call\n"
		     : "=r" (ret) : :
		     "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		     "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		     "x30", "cc", "memory");
	return ret;
}

static void show_arm64(struct seq_file *m, const char *banner)
{
	u8 first = 0;
	const char *addr = arm64_banner(&first);

	seq_printf(m, "arm64: adrp %s, ldst %s, bl %s\n",
		   addr == banner ? "ok" : "bad", first == '%' ? "ok" : "bad",
		   arm64_call() > 0 ? "ok" : "bad");
}
#else
static void show_arm64(struct seq_file *m, const char *banner)
{
}
#endif

static int new_version_proc_show(struct seq_file *m, void *v)
{
	const char *banner = (const char *)&banner_pc32 +
			     READ_ONCE(banner_pc32);

	seq_printf(m, "ksplice-patched: pc32 %s, 64 %s\n",
		   strncmp(banner, "%s version ", 11) ? "bad" : "ok",
		   banner64 == banner ? "ok" : "bad");
	show_arm64(m, banner);
	return 0;
}

#if defined(CONFIG_ARM64) && (defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS) || \
			       defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS))
/*
 * ftrace's two patchable NOPs, which it rewrites at boot: not compared,
 * and the jump goes past them, as patchgen has it.
 */
#define FTRACE_ENTRY_SIZE	8
static const unsigned char ftrace_entry_mask[PRE_SIZE_version_proc_show] = {
	[0 ... FTRACE_ENTRY_SIZE - 1] = 1
};
#define FTRACE_ENTRY_MASK	ftrace_entry_mask
#else
#define FTRACE_ENTRY_SIZE	0
#define FTRACE_ENTRY_MASK	NULL
#endif

static struct ksplice_func funcs[] = {
	{
		.name = "version_proc_show",
		.object = "fs/proc/version.o",
		.new_code = new_version_proc_show,
		.new_size = 1,
		.pre_size = PRE_SIZE_version_proc_show,
		.pre_bytes = pre_version_proc_show,
		.pre_mask = FTRACE_ENTRY_MASK,
		.jump_offset = FTRACE_ENTRY_SIZE,
	},
};

static const struct ksplice_reloc relocs[] = {
	{
		.where = (void *)&banner_pc32,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.addend = 0,
		.type = KSPLICE_RELOC_PC32,
	},
	{
		.where = &banner64,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.addend = 0,
		.type = KSPLICE_RELOC_64,
	},
#ifdef CONFIG_ARM64
	{
		.where = ksplice_test_adrp,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.type = KSPLICE_RELOC_ARM64_ADR_PREL_PG_HI21,
	},
	{
		.where = ksplice_test_add,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.type = KSPLICE_RELOC_ARM64_ADD_ABS_LO12,
	},
	{
		.where = ksplice_test_ldrb,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.type = KSPLICE_RELOC_ARM64_LDST8_ABS_LO12,
	},
#ifndef CONFIG_RANDOMIZE_MODULE_REGION_FULL
	/* Modules may lie beyond a BL's reach there (patchgen adds a stub). */
	{
		.where = ksplice_test_bl,
		.symbol = "nr_processes",
		.object = "kernel/fork.o",
		.type = KSPLICE_RELOC_ARM64_CALL26,
	},
#endif
#endif
};

static int set_pre_size(const char *val, const struct kernel_param *kp)
{
	unsigned int size;
	int ret = kstrtouint(val, 0, &size);

	if (ret)
		return ret;
	if (!size || size > PRE_SIZE_version_proc_show)
		return -EINVAL;
	funcs[0].pre_size = size;
	return 0;
}

static const struct kernel_param_ops pre_size_ops = {
	.set = set_pre_size,
};
module_param_cb(pre_size, &pre_size_ops, NULL, 0);
MODULE_PARM_DESC(pre_size, "the old function's size as the patch sees it");

/* As patchgen writes it: `ksplice apply` reads the id from here. */
MODULE_INFO(ksplice_id, "test-version");

struct ksplice_patch ksplice_patch_data = {
	.abi_version = KSPLICE_ABI_VERSION,
	.id = "test-version",
	.target_release = UTS_RELEASE,
	.funcs = funcs,
	.nr_funcs = ARRAY_SIZE(funcs),
	.relocs = relocs,
	.nr_relocs = ARRAY_SIZE(relocs),
};
