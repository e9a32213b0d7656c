// SPDX-License-Identifier: GPL-2.0
/*
 * bench_call.c - times a tight loop of calls to int_sqrt(), for
 * bench/call-overhead.sh, which loads it with int_sqrt() as built and
 * again with int_sqrt() replaced by ksplice: the difference is what a
 * caller pays for the jump at the old function's entry.
 *
 * int_sqrt() because it is exported, out of line, not a compiler builtin
 * and short, so the jump is a visible share of each call.
 *
 * Then a loop of calls to acpi_bus_private_data_handler(), a bare ret on
 * the tiny kernel: too short for the jump, and global, so a replaced one
 * is entered through a trap at its entry (docs/core.md, "Traps").
 */
#include <linux/acpi.h>
#include <linux/ktime.h>
#include <linux/math.h>
#include <linux/module.h>

static ulong loops = 1000000;
module_param(loops, ulong, 0444);
MODULE_PARM_DESC(loops, "calls to time");

static unsigned long long loop_ns;
module_param(loop_ns, ullong, 0444);
MODULE_PARM_DESC(loop_ns, "nanoseconds the calls took (read-only result)");

static unsigned long long trap_loop_ns;
module_param(trap_loop_ns, ullong, 0444);
MODULE_PARM_DESC(trap_loop_ns,
		 "nanoseconds the calls to the one-byte function took (read-only result)");

static unsigned long bench_sink;

static int __init bench_call_init(void)
{
	unsigned long sum = 0;
	unsigned long i;
	u64 start;

	start = ktime_get_ns();
	for (i = 0; i < loops; i++)
		sum += int_sqrt(i);
	loop_ns = ktime_get_ns() - start;
	WRITE_ONCE(bench_sink, sum);

	start = ktime_get_ns();
	for (i = 0; i < loops; i++)
		acpi_bus_private_data_handler(NULL, (void *)i);
	trap_loop_ns = ktime_get_ns() - start;
	return 0;
}
module_init(bench_call_init);

static void __exit bench_call_exit(void)
{
}
module_exit(bench_call_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice benchmark: cost of calling a replaced function");
