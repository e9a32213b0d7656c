// SPDX-License-Identifier: GPL-2.0
/*
 * Test patch for the refusals.  The module parameter "mode" (parsed before
 * the template's init registers the patch) breaks it in one way:
 *   not_found, mismatch, ambiguous, too_short, reloc_missing,
 *   reloc_range: apply fails with that abort cause;
 *   entry_site: on a kernel built for IBT, apply fails so (the jump
 *   would overwrite the entry endbr64: no jump_offset);
 *   ftrace_site: on a kernel with ftrace, apply fails as entry_site (the
 *   jump would overwrite the instruction ftrace rewrites);
 *   trap: version_proc_show seen as 3 bytes long, too short for the
 *   jump: apply succeeds, its entry takes a trap, and /proc/version
 *   shows what new_function() prints, nothing;
 *   release, build_id, abi: registration (insmod) fails.
 */
#include <linux/moduleparam.h>
#include <linux/module.h>
#include <linux/string.h>
#include <generated/utsrelease.h>

#include "ksplice_patch.h"
#include "pre_version_proc_show.h"

static const unsigned char all_ones[PRE_SIZE_version_proc_show] = {
	[0 ... PRE_SIZE_version_proc_show - 1] = 1
};
static unsigned char changed[PRE_SIZE_version_proc_show];
static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const unsigned char arm64_two_nops[] = {
	0x1f, 0x20, 0x03, 0xd5, 0x1f, 0x20, 0x03, 0xd5
};
static u64 field;

static int new_function(void)
{
	return 0;
}

static struct ksplice_func funcs[] = {
	{
		.name = "ksplice_no_such_function",
		.object = "nowhere.o",
		.new_code = new_function,
		.new_size = 1,
		.pre_size = PRE_SIZE_version_proc_show,
		.pre_bytes = pre_version_proc_show,
	},
};

static struct ksplice_reloc relocs[] = {
	{
		.where = &field,
		.symbol = "linux_proc_banner",
		.object = "init/version.o",
		.type = KSPLICE_RELOC_64,
	},
};

struct ksplice_patch ksplice_patch_data = {
	.abi_version = KSPLICE_ABI_VERSION,
	.id = "test-bad",
	.target_release = UTS_RELEASE,
	.funcs = funcs,
	.nr_funcs = ARRAY_SIZE(funcs),
	.relocs = relocs,
	.nr_relocs = ARRAY_SIZE(relocs),
};

static int set_mode(const char *val, const struct kernel_param *kp)
{
	struct ksplice_func *f = &funcs[0];

	if (!sysfs_streq(val, "not_found"))
		f->name = "version_proc_show";
	if (sysfs_streq(val, "mismatch")) {
		memcpy(changed, pre_version_proc_show, sizeof(changed));
		changed[sizeof(changed) - 1] ^= 0xff;
		f->pre_bytes = changed;
	} else if (sysfs_streq(val, "ambiguous")) {
		/* Inlined into many files (6.12 has one find_next_bit). */
		f->name = "__raw_spin_unlock_irq";
		f->pre_size = 5;
		f->pre_mask = all_ones;
	} else if (sysfs_streq(val, "entry_site")) {
		/* Any running bytes, so the check that fails is the site's. */
		f->pre_mask = all_ones;
	} else if (sysfs_streq(val, "ftrace_site")) {
		/*
		 * Onto what ftrace rewrites: x86's fentry call, past the
		 * endbr64 if any; arm64's second patchable NOP, which ftrace
		 * turns into its BL (the first became "mov x9, x30" at boot).
		 */
		f->pre_mask = all_ones;
		if (IS_ENABLED(CONFIG_X86) &&
		    !memcmp(pre_version_proc_show, endbr64, sizeof(endbr64)))
			f->jump_offset = sizeof(endbr64);
		if (IS_ENABLED(CONFIG_ARM64) &&
		    !memcmp(pre_version_proc_show, arm64_two_nops, sizeof(arm64_two_nops)))
			f->jump_offset = 4;
	} else if (sysfs_streq(val, "too_short")) {
		/* No byte left after jump_offset: not even a trap fits. */
		f->pre_size = 3;
		f->jump_offset = 3;
	} else if (sysfs_streq(val, "trap")) {
		f->pre_size = 3;
	} else if (sysfs_streq(val, "reloc_missing")) {
		relocs[0].symbol = "ksplice_no_such_symbol";
	} else if (sysfs_streq(val, "reloc_range")) {
		relocs[0].type = KSPLICE_RELOC_32;
	} else if (sysfs_streq(val, "release")) {
		ksplice_patch_data.target_release = "0.0-wrong";
	} else if (sysfs_streq(val, "build_id")) {
		ksplice_patch_data.target_build_id = "0123456789abcdef0123456789abcdef01234567";
	} else if (sysfs_streq(val, "abi")) {
		ksplice_patch_data.abi_version = 99;
	} else if (!sysfs_streq(val, "not_found")) {
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops mode_ops = {
	.set = set_mode,
};
module_param_cb(mode, &mode_ops, NULL, 0);
MODULE_PARM_DESC(mode, "how to break the patch");
