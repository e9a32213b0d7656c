// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice manifest: the pre build's manifest (docs/manifest.md).
 *   write --kdir KDIR [-o FILE]     kbuild/manifest.sh, after make KSPLICE=1
 *   show [--json] [--list] FILE      what it holds
 *   extract FILE DIR (--files | NAME...)
 *                                    entries as files under DIR, for create
 *   pack OUT                         (manifest.sh) the list on stdin, packed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplice.h"
#include "manifest_format.h"

const char manifest_usage[] =
	"usage: ksplice manifest write --kdir KDIR [-o FILE]\n"
	"       ksplice manifest show [--json] [--list] FILE\n"
	"       ksplice manifest extract FILE DIR (--files | NAME...)\n"
	"\n"
	"write records what 'ksplice create' needs of the pre build KDIR (built\n"
	"with make KSPLICE=1) in one file, KDIR/" KSPLICE_MANIFEST_NAME " by default: each\n"
	"object with fingerprints without its debug information, kbuild's .cmd\n"
	"records, Module.symvers, System.map, the configuration, the release and\n"
	"vmlinux's build id. 'ksplice create --manifest FILE --kdir SRC' then\n"
	"needs only a source tree of that release. make KSPLICE=1 writes it.\n"
	"show prints the release, build id and sizes; --list every entry as\n"
	"'KIND SIZE STORED NAME' (f file, o object, p object without fingerprints).\n"
	"extract writes entries under DIR: every file entry, or the named ones.\n";

static int open_or_fail(struct manifest *m, const char *path)
{
	char err[4096];

	if (manifest_open(m, path, err, sizeof(err)))
		return fail("%s", err), KS_USAGE;
	return 0;
}

/* A file entry's text, trailing newlines dropped, or "" if absent. */
static char *entry_text(const struct manifest *m, const char *name)
{
	const struct manifest_entry *e = manifest_find(m, name);
	unsigned char *bytes = e ? manifest_read_entry(m, e) : NULL;
	size_t n = e ? e->size : 0;
	char *text = malloc(n + 1);

	if (!text)
		return NULL;
	if (bytes)
		memcpy(text, bytes, n);
	else
		n = 0;
	free(bytes);
	while (n && text[n - 1] == '\n')
		n--;
	text[n] = '\0';
	return text;
}

static int show(int argc, char **argv)
{
	bool json = false, list = false;
	size_t count[3] = { 0 }, content = 0;
	const char *path = NULL;
	char *release, *build_id;
	struct manifest m;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			return fputs(manifest_usage, stderr), KS_USAGE;
	}
	if (!path)
		return fputs(manifest_usage, stderr), KS_USAGE;
	ret = open_or_fail(&m, path);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < m.header->nr_entries; i++) {
		const struct manifest_entry *e = &m.entries[i];

		count[e->kind == MANIFEST_OBJECT ? 0 : e->kind == MANIFEST_FILE ? 1 : 2]++;
		content += e->size;
		if (list && !json)
			printf("%c %llu %llu %s\n", (char)e->kind, (unsigned long long)e->size,
			       (unsigned long long)e->blob_size, manifest_name(&m, e));
	}
	release = entry_text(&m, "include/config/kernel.release");
	build_id = entry_text(&m, ".ksplice/build-id");
	if (!release || !build_id)
		return fail("out of memory");
	if (json) {
		printf("{\"format\": %u, \"release\": ", m.header->format);
		json_string(release);
		printf(", \"build_id\": ");
		json_string(build_id);
		printf(", \"objects\": %zu, \"files\": %zu, \"plain_objects\": %zu, "
		       "\"size\": %zu, \"contents\": %zu}\n",
		       count[0], count[1], count[2], m.size, content);
	} else if (!list) {
		printf("format: %u\nrelease: %s\nbuild id: %s\n"
		       "objects: %zu (and %zu without fingerprints)\n"
		       "files: %zu\nsize: %zu bytes, holding %zu\n", m.header->format,
		       release, build_id, count[0], count[2], count[1], m.size, content);
	}
	free(release);
	free(build_id);
	manifest_close(&m);
	return KS_OK;
}

/* mkdir -p for the directories of path. */
static int make_parents(char *path)
{
	for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*slash = '/';
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

static int extract_one(const struct manifest *m, const struct manifest_entry *e,
		       const char *dir)
{
	const char *name = manifest_name(m, e);
	unsigned char *bytes;
	char path[4096];
	ssize_t n = 0;
	int fd;

	/* Names come from the file: none may leave DIR. */
	if (name[0] == '/' || !strncmp(name, "../", 3) || strstr(name, "/../"))
		return fail("%s: refusing to extract an entry outside DIR", name), KS_USAGE;
	if (e->kind == MANIFEST_PLAIN)
		return fail("%s: the manifest records only its name (no fingerprints)", name),
		       KS_USAGE;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	bytes = manifest_read_entry(m, e);
	if (!bytes)
		return fail("%s: its bytes in the manifest are damaged", name), KS_USAGE;
	if (make_parents(path) ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		free(bytes);
		return fail("cannot write %s: %m", path);
	}
	if (e->size)
		n = write(fd, bytes, e->size);
	free(bytes);
	if (close(fd) || n != (ssize_t)e->size)
		return fail("cannot write %s: %m", path);
	return 0;
}

static int extract(int argc, char **argv)
{
	struct manifest m;
	int ret;

	if (argc < 4)
		return fputs(manifest_usage, stderr), KS_USAGE;
	ret = open_or_fail(&m, argv[1]);
	if (ret)
		return ret;
	if (!strcmp(argv[3], "--files")) {
		for (uint32_t i = 0; !ret && i < m.header->nr_entries; i++)
			if (m.entries[i].kind == MANIFEST_FILE)
				ret = extract_one(&m, &m.entries[i], argv[2]);
	} else {
		for (int i = 3; !ret && i < argc; i++) {
			const struct manifest_entry *e = manifest_find(&m, argv[i]);

			if (!e) {
				fail("%s has no entry %s", argv[1], argv[i]);
				ret = KS_USAGE;
			} else {
				ret = extract_one(&m, e, argv[2]);
			}
		}
	}
	manifest_close(&m);
	return ret;
}

int cmd_manifest(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";

	if (!strcmp(verb, "write"))
		return cmd_script("manifest.sh", argc - 1, argv + 1);
	if (!strcmp(verb, "show"))
		return show(argc - 1, argv + 1);
	if (!strcmp(verb, "extract"))
		return extract(argc - 1, argv + 1);
	if (!strcmp(verb, "pack") && argc == 3)
		return manifest_pack(argv[2], stdin);
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		fputs(manifest_usage, stdout);
		return KS_OK;
	}
	fputs(manifest_usage, stderr);
	return KS_USAGE;
}
