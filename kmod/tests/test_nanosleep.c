// SPDX-License-Identifier: GPL-2.0
/*
 * Test patch: replaces do_nanosleep (kernel/time/hrtimer.c) with one that
 * sleeps 3 s whatever it is asked, so "sleep 10" takes 3 s while applied.
 * A task sleeping in the old do_nanosleep makes apply busy; one sleeping
 * in the new one makes undo busy.
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <generated/utsrelease.h>

#include "ksplice_patch.h"
#include "pre_do_nanosleep.h"

/*
 * The caller only starts the timer through us: nothing to cancel.  A
 * signal ends the sleep early; the sleep then counts as complete.
 */
static int new_do_nanosleep(struct hrtimer_sleeper *t, enum hrtimer_mode mode)
{
	msleep_interruptible(3000);
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
