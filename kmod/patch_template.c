// SPDX-License-Identifier: GPL-2.0
/*
 * Template of every ksplice patch module.  The patch tooling builds it
 * with kbuild next to the generated meta.c (which defines
 * ksplice_patch_data) and the prelinked new code.  Loading the module only
 * registers the patch; applying it is a separate step
 * (/sys/kernel/ksplice/<id>/stage).
 */
#include <linux/init.h>
#include <linux/module.h>

#include "ksplice_patch.h"

extern struct ksplice_patch ksplice_patch_data;

static int __init ksplice_patch_init(void)
{
	ksplice_patch_data.owner = THIS_MODULE;
	return ksplice_register_patch(&ksplice_patch_data);
}

static void __exit ksplice_patch_exit(void)
{
	ksplice_unregister_patch(&ksplice_patch_data);
}

module_init(ksplice_patch_init);
module_exit(ksplice_patch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice patch module");
