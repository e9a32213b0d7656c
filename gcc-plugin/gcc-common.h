/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gcc-common.h - the GCC internals the ksplice plugin uses, in one place.
 *
 * GCC's plugin headers must be included in a fixed order (gcc-plugin.h
 * first, config.h/system.h before everything else), and their names and
 * signatures move between releases.  Keeping every include and every
 * version difference here lets ksplice_plugin.c read like plain C.
 */
#ifndef KSPLICE_GCC_COMMON_H
#define KSPLICE_GCC_COMMON_H

#include "gcc-plugin.h"
#include "bversion.h"
#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "backend.h"
#include "tree.h"
#include "rtl.h"
#include "tree-pass.h"
#include "context.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "output.h"
#include "real.h"
#include "stringpool.h"
#include "attribs.h"
#include "diagnostic-core.h"
#include "hash-map.h"
#include "cgraph.h"
#include "alloc-pool.h"
#include "symbol-summary.h"
#include "symtab-clones.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimple-walk.h"
#include "toplev.h"
#include "opts.h"
#include "stor-layout.h"

/*
 * Written against GCC 12; needs at least the rtx_insn class hierarchy,
 * label_ref_label() and the C++11 "override" pass interface (GCC 10+).
 */
#if BUILDING_GCC_VERSION < 10000
#error "the ksplice plugin needs GCC 10 or later"
#endif

/* Register PASS right before or after (POS) the first pass named REFERENCE. */
static inline void register_pass_next_to(const char *plugin_name, opt_pass *pass,
					 const char *reference,
					 enum pass_positioning_ops pos)
{
	struct register_pass_info info;

	info.pass = pass;
	info.reference_pass_name = reference;
	info.ref_pass_instance_number = 1;
	info.pos_op = pos;
	register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

#endif /* KSPLICE_GCC_COMMON_H */
