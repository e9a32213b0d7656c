/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What patchgen knows of the target kernel: its exported symbols
 * (Module.symvers) and how many symbols share each name (System.map), so
 * it can tell which references a module may link against and which
 * names the core could not resolve unambiguously.
 */
#ifndef PATCHGEN_KERNEL_SYMBOLS_H
#define PATCHGEN_KERNEL_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>

/* Every SYMVERS file (Module.symvers: vmlinux, the core) and System.map. */
int kernel_symbols_load(char *const *symvers, size_t nr_symvers, const char *system_map);
bool kernel_symbol_exported(const char *name);
/* How many vmlinux symbols have this name; -1 when no System.map was given. */
int kernel_symbol_count(const char *name);

#endif
