// SPDX-License-Identifier: GPL-2.0
/* apply, undo and list: the running-machine side, over the core's sysfs. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ksplice.h"

static void patch_file(char *buf, size_t size, const char *id, const char *file)
{
	snprintf(buf, size, SYSFS_ROOT "/%.128s/%s", id, file);	/* ids are shorter */
}

/* The core's stage of patch ID, into STAGE; nonzero when none is loaded. */
int patch_stage(const char *id, char *stage, size_t size)
{
	char path[256];

	patch_file(path, sizeof(path), id, "stage");
	return read_text(path, stage, size);
}

bool valid_id(const char *id)
{
	if (!*id || strlen(id) > 64)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static void module_name(char *buf, size_t size, const char *id)
{
	snprintf(buf, size, "ksplice_%.128s", id);
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* Asks the core to change stage; on refusal prints the abort cause. */
static int change_stage(const char *id, const char *verb)
{
	char path[256], cause[1024];
	int err;

	patch_file(path, sizeof(path), id, "stage");
	if (!write_text(path, verb))
		return 0;
	err = errno;
	patch_file(path, sizeof(path), id, "abort_cause");
	if (read_text(path, cause, sizeof(cause)) || !strcmp(cause, "none"))
		snprintf(cause, sizeof(cause), "%s", strerror(err));
	fail("%s %s failed: %s", verb, id, cause);
	return -1;
}

struct patch_id {
	char id[128];
};

/* The ids of the applied patches (at most MAX), for a replace; their count. */
static int applied_ids(struct patch_id *ids, int max)
{
	struct dirent **entries;
	char stage[64];
	int n, found = 0;

	n = scandir(SYSFS_ROOT, &entries, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *id = entries[i]->d_name;

		if (id[0] != '.' && found < max && strlen(id) < 128 &&
		    !patch_stage(id, stage, sizeof(stage)) && !strcmp(stage, "applied"))
			strcpy(ids[found++].id, id);
		free(entries[i]);
	}
	if (n > 0)
		free(entries);
	return found;
}

/*
 * After a replace: the patches it took the place of are undone in the
 * same window; unload their modules, as undo does.  One that will not go
 * is harmless (reversed) and said: the replace itself is done.
 */
static void unload_replaced(const struct patch_id *ids, int n, const char *by)
{
	char stage[64], name[160];

	for (int i = 0; i < n; i++) {
		if (!strcmp(ids[i].id, by))
			continue;
		if (patch_stage(ids[i].id, stage, sizeof(stage)) || strcmp(stage, "reversed"))
			continue;
		module_name(name, sizeof(name), ids[i].id);
		if (unload_module(name))
			fail("%s replaced %s, but could not unload %s (%m): rmmod it later",
			     by, ids[i].id, name);
		else
			fprintf(stderr, "ksplice: %s replaced %s, which is unloaded\n", by,
				ids[i].id);
	}
}

/*
 * Loads (if need be) and applies the patch module PATH; its id into ID.
 * REPLACE: it takes the place of every other applied patch (a
 * cumulative one), whose modules are unloaded afterwards.
 */
int apply_file(const char *path, char *id, size_t size, bool replace)
{
	struct patch_id replaced[64];
	int nr_replaced = 0;
	char stage_path[256], name[160];
	bool loaded_here = false;
	struct stat st;

	if (module_info(path, "ksplice_id", id, size) || !valid_id(id))
		return fail("%s: not a ksplice patch module", path), KS_USAGE;
	if (load_core())
		return KS_FAILED;
	patch_file(stage_path, sizeof(stage_path), id, "stage");
	if (stat(stage_path, &st)) {
		if (load_module_file(path, "")) {
			if (errno == EEXIST)
				fail("cannot load %s: a module of its name is loaded, "
				     "but no patch %s is registered", path, id);
			return KS_FAILED;
		}
		loaded_here = true;
	}
	if (replace)
		nr_replaced = applied_ids(replaced, 64);
	if (change_stage(id, replace ? "replace" : "apply")) {
		module_name(name, sizeof(name), id);
		if (loaded_here && unload_module(name))
			fail("could not unload %s: %m", name);
		return KS_FAILED;
	}
	if (replace)
		unload_replaced(replaced, nr_replaced, id);
	return KS_OK;
}

int cmd_apply(int argc, char **argv)
{
	bool replace = argc == 3 && !strcmp(argv[1], "--replace");
	char id[128];
	int ret;

	if (argc != 2 + replace || argv[argc - 1][0] == '-')
		return fail("usage: ksplice apply [--replace] FILE.ko"), KS_USAGE;
	ret = apply_file(argv[argc - 1], id, sizeof(id), replace);
	if (ret == KS_OK)
		printf("%s\n", id);
	return ret;
}

int cmd_undo(int argc, char **argv)
{
	char path[256], name[160];
	struct stat st;

	if (argc != 2 || !valid_id(argv[1]))
		return fail("usage: ksplice undo ID"), KS_USAGE;
	patch_file(path, sizeof(path), argv[1], "stage");
	if (stat(path, &st))
		return fail("no patch %s is loaded", argv[1]);
	if (change_stage(argv[1], "undo"))
		return KS_FAILED;
	module_name(name, sizeof(name), argv[1]);
	if (unload_module(name))
		return fail("undone, but could not unload %s: %m", name);
	fprintf(stderr, "ksplice: %s undone and unloaded\n", argv[1]);
	return KS_OK;
}

void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

int cmd_list(int argc, char **argv)
{
	bool json = false, installed = false;
	char path[512], stage[64], cause[1024];
	struct dirent **entries;
	int n, shown = 0, left = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--installed"))
			installed = true;
		else
			argv[1 + left++] = argv[i];
	}
	if (installed)
		return list_installed(left, argv + 1, json);
	if (left)
		return fail("usage: ksplice list [--installed] [--json]"), KS_USAGE;
	n = scandir(SYSFS_ROOT, &entries, NULL, alphasort);
	if (n < 0)
		n = 0;	/* no core loaded: no patches */
	if (json)
		printf("[");
	for (int i = 0; i < n; i++) {
		const char *id = entries[i]->d_name;

		if (id[0] == '.' || patch_stage(id, stage, sizeof(stage)))
			continue;
		patch_file(path, sizeof(path), id, "abort_cause");
		if (read_text(path, cause, sizeof(cause)))
			strcpy(cause, "none");
		if (json) {
			printf("%s{\"id\": ", shown ? ", " : "");
			json_string(id);
			printf(", \"stage\": ");
			json_string(stage);
			printf(", \"abort_cause\": ");
			json_string(cause);
			printf("}");
		} else {
			printf("%s %s\n", id, stage);
		}
		shown++;
	}
	if (json)
		printf("]\n");
	for (int i = 0; i < n; i++)
		free(entries[i]);
	if (n > 0)
		free(entries);
	return KS_OK;
}

/* ksplice show [--json] ID: everything the core says about one patch. */
int cmd_show(int argc, char **argv)
{
	static const char *const files[] = { "stage", "abort_kind", "abort_cause", "tries", "stop_ns",
					     "livepatched", "traps", "veneers" };
	bool json = argc == 3 && !strcmp(argv[1], "--json");
	const char *id = argv[argc - 1];
	char path[512], value[4096];
	char *line, *save = NULL;
	int n = 0;

	if (argc != 2 + json || !valid_id(id))
		return fail("usage: ksplice show [--json] ID"), KS_USAGE;
	if (patch_stage(id, value, sizeof(value)))
		return fail("no patch %s is loaded", id);
	if (json) {
		printf("{\"id\": ");
		json_string(id);
	} else {
		printf("id: %s\n", id);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		patch_file(path, sizeof(path), id, files[i]);
		if (read_text(path, value, sizeof(value)))
			continue;
		if (json) {
			printf(", \"%s\": ", files[i]);
			json_string(value);
		} else {
			printf("%s: %s\n", files[i], value);
		}
	}
	/* One line per function: name object old_addr new_addr. */
	patch_file(path, sizeof(path), id, "functions");
	if (read_text(path, value, sizeof(value)))
		value[0] = '\0';
	if (json)
		printf(", \"functions\": [");
	for (line = strtok_r(value, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[256], object[256], old_addr[32], new_addr[32];

		if (sscanf(line, "%255s %255s %31s %31s", name, object, old_addr, new_addr) != 4)
			continue;
		if (json) {
			printf("%s{\"name\": ", n ? ", " : "");
			json_string(name);
			printf(", \"object\": ");
			json_string(object);
			printf(", \"old_addr\": \"%s\", \"new_addr\": \"%s\"}", old_addr, new_addr);
		} else {
			printf("function: %s (%s) old %s new %s\n", name, object, old_addr, new_addr);
		}
		n++;
	}
	if (json)
		printf("]}\n");
	return KS_OK;
}
