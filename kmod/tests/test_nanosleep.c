// SPDX-License-Identifier: GPL-2.0
/*
 * Test patch: replaces do_nanosleep (kernel/time/hrtimer.c) with a
 * version that does not sleep, so "sleep 3" returns at once while it is
 * applied.  A task sleeping in do_nanosleep makes apply busy.
 */
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <generated/utsrelease.h>

#include "ksplice_patch.h"
#include "pre_do_nanosleep.h"

/* The caller only starts the timer through us: nothing to cancel. */
static int new_do_nanosleep(struct hrtimer_sleeper *t, enum hrtimer_mode mode)
{
	return 0;
}

static struct ksplice_func funcs[] = {
	{
		.name = "do_nanosleep",
		.object = "kernel/time/hrtimer.o",
		.new_code = new_do_nanosleep,
		.new_size = 1,
		.pre_size = PRE_SIZE_do_nanosleep,
		.pre_bytes = pre_do_nanosleep,
	},
};

struct ksplice_patch ksplice_patch_data = {
	.abi_version = KSPLICE_ABI_VERSION,
	.id = "test-nanosleep",
	.target_release = UTS_RELEASE,
	.funcs = funcs,
	.nr_funcs = ARRAY_SIZE(funcs),
};
