/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contracts between ksplice's stages, written once:
 * - the section the GCC plugin writes its records into, and their format
 *   version, which patchgen, the ksplice command and the scripts read;
 * - the layout of the hook entries a fix emits (ksplice_hooks.h) and
 *   patchgen reads;
 * - the exit codes of patchgen, `ksplice create` and the ksplice command,
 *   which scripts and users test.
 * C (userspace and kernel) and the plugin's C++ include it. Macros only,
 * and no includes: make turns every KSPLICE_ macro into a shell
 * assignment in build/kbuild/contract.sh, which the scripts source.
 */
#ifndef KSPLICE_CONTRACT_H
#define KSPLICE_CONTRACT_H

/* The plugin's records in each object; the linker scripts drop .discard.*. */
#define KSPLICE_FINGERPRINT_SECTION ".discard.ksplice.fingerprints"
/* The first line of the records: "ksplice-fingerprints VERSION". */
#define KSPLICE_FINGERPRINT_MAGIC "ksplice-fingerprints"
#define KSPLICE_FINGERPRINT_FORMAT 3

/*
 * A fix's hooks: entries of KSPLICE_HOOK_ENTRY_SIZE bytes, an unsigned
 * long kind (ksplice_hook_kinds.h) at KSPLICE_HOOK_ENTRY_KIND and the
 * function's address at KSPLICE_HOOK_ENTRY_FN (x86-64).
 */
#define KSPLICE_HOOKS_SECTION ".ksplice.hooks"
#define KSPLICE_HOOK_ENTRY_SIZE 16
#define KSPLICE_HOOK_ENTRY_KIND 0
#define KSPLICE_HOOK_ENTRY_FN 8

/*
 * The pre build's manifest (docs/manifest.md): a file that starts with
 * these 8 bytes and a little-endian u32 format version.
 */
#define KSPLICE_MANIFEST_MAGIC "KSPLMANI"
#define KSPLICE_MANIFEST_FORMAT 2
/* The oldest it still reads: a distribution's manifests outlive releases. */
#define KSPLICE_MANIFEST_FORMAT_OLDEST 1
/* Its name next to vmlinux when make KSPLICE=1 writes it. */
#define KSPLICE_MANIFEST_NAME "vmlinux.ksplice"

/* Exit codes: what scripts may rely on (docs/cli.md). */
#define KSPLICE_EXIT_OK 0
#define KSPLICE_EXIT_FAILED 1		/* a build failed; the core refused */
#define KSPLICE_EXIT_BAD_INPUT 2	/* usage, or an input that is not what it must be */
#define KSPLICE_EXIT_NOTHING 3		/* create: the fix changes no function's code */
#define KSPLICE_EXIT_REFUSED 4		/* create: the fix cannot be applied live */
#define KSPLICE_EXIT_INTERRUPTED 130	/* a signal; everything put back */

#endif /* KSPLICE_CONTRACT_H */
