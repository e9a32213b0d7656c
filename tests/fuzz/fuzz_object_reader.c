// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over patchgen's input readers: the ELF object model
 * (sections, symbols, relocations) and the plugin's fingerprint records,
 * both as found in an object and as bare text.  A bad input must come
 * back as an error, never as a crash, a hang or a sanitizer report.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_model.h"
#include "fingerprints.h"

/* What patchgen does with an object it has opened, short of a patch. */
static void walk_object(const struct object *obj)
{
	struct fingerprint_table table;

	for (size_t i = 1; i < obj->nr_secs; i++) {
		const struct section *sec = &obj->secs[i];

		for (size_t j = 0; j < sec->nr_relocs; j++) {
			const struct reloc *r = &sec->relocs[j];

			if (r->sym->sec)
				section_symbol_at(obj, r->sym->sec, r->addend);
		}
	}
	for (size_t i = 1; i < obj->nr_syms; i++)
		object_func(obj, obj->syms[i].name);
	if (!fingerprints_read(obj, &table))
		fingerprint_table_free(&table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	struct fingerprint_table table;
	struct object obj;
	char err[256];

	if (fd < 0) {
		fd = memfd_create("fuzzed.o", 0);
		if (fd < 0) {
			perror("memfd_create");
			return -1;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size) {
		perror("fuzz: writing the input");
		return -1;
	}
	if (!object_open(&obj, path))
		walk_object(&obj);
	object_close(&obj);

	if (!fingerprint_table_parse((const char *)data, size, &table, err, sizeof(err)))
		fingerprint_table_free(&table);
	return 0;
}
