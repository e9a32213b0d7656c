/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSPLICE_CLI_H
#define KSPLICE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ksplice_contract.h"

/* Exit codes scripts can trust (docs/cli.md). */
enum {
	KS_OK = KSPLICE_EXIT_OK,
	KS_FAILED = KSPLICE_EXIT_FAILED,	/* apply/undo refused by the core, build failed */
	KS_USAGE = KSPLICE_EXIT_BAD_INPUT,	/* bad arguments or bad input file */
	KS_NOTHING = KSPLICE_EXIT_NOTHING,	/* create: the fix changes no function's code */
	KS_REFUSED = KSPLICE_EXIT_REFUSED,	/* create: the fix cannot be applied live */
};

#define SYSFS_ROOT "/sys/kernel/ksplice"

int cmd_apply(int argc, char **argv);
int cmd_undo(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_script(const char *script, int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_boot(int argc, char **argv);

/* commands.c: a patch id (letters, digits, '_', '-'); applying one file. */
bool valid_id(const char *id);
int patch_stage(const char *id, char *stage, size_t size);
int apply_file(const char *path, char *id, size_t size, bool replace);

/* installed.c: list --installed [--json] [--kernel-release REL]. */
int list_installed(int argc, char **argv, bool json);

/* module.c */
int load_core(void);
int load_module_file(const char *path, const char *params);
int unload_module(const char *name);
/* The value of KEY in the module's .modinfo into VALUE; 0 if found. */
int module_info(const char *path, const char *key, char *value, size_t size);

/* elf_section.c: a copy of the named section, NUL-terminated; 0 if found. */
int elf_section_read(const char *path, const char *section, char **bytes, size_t *size);

int cmd_fingerprints(int argc, char **argv);

/* manifest.c, manifest_write.c */
extern const char manifest_usage[];
int cmd_manifest(int argc, char **argv);
int manifest_pack(const char *out_path, FILE *in);

/* Prints s as a JSON string literal. */
void json_string(const char *s);

/* Prints "ksplice: ..." to stderr and returns KS_FAILED. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int read_text(const char *path, char *buf, size_t size);
int write_text(const char *path, const char *text);

#endif
