// SPDX-License-Identifier: GPL-2.0
#include "fingerprints.h"

#include "util.h"

int fingerprints_read(const struct object *obj, struct fingerprint_table *table)
{
	const struct section *sec = object_section(obj, KSPLICE_FINGERPRINT_SECTION);
	char err[256];

	if (!sec || !sec->bytes)
		return error("%s: no fingerprints: was it built with make KSPLICE=1?", obj->path);
	if (fingerprint_table_parse((const char *)sec->bytes, sec->sh.sh_size, table,
				    err, sizeof(err)))
		return error("%s: %s", obj->path, err);
	return 0;
}
