// SPDX-License-Identifier: GPL-2.0
/*
 * Installed patches: install, uninstall, list --installed and boot.
 *
 * A patch is installed for the kernel it was built against, under
 * STATE/RELEASE/NNN-ID.ko (STATE is /var/lib/ksplice, or
 * $KSPLICE_STATE_DIR), where NNN keeps the order of installation: the
 * order in which boot applies them, as stacked patches must be.  The
 * target is read from the module's .modinfo (ksplice_release,
 * ksplice_build_id, which patchgen writes beside the ones the core
 * checks), so a patch for another kernel is refused before it is kept.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ksplice.h"

#define NT_GNU_BUILD_ID_TYPE 3
#define MAX_INSTALLED 999

struct installed {
	unsigned int order;
	char id[128];
	char file[300];		/* NNN-ID.ko, inside the release's directory */
};

/* The kernel the command acts for: the running one unless named. */
struct target {
	char release[256];
	char build_id[129];	/* hex; empty when unknown */
	bool running;
};

static const char *state_dir(void)
{
	const char *dir = getenv("KSPLICE_STATE_DIR");

	return dir && *dir ? dir : "/var/lib/ksplice";
}

static void release_dir(char *buf, size_t size, const char *release)
{
	snprintf(buf, size, "%s/%s", state_dir(), release);
}

/* The running vmlinux's GNU build id, from its notes in sysfs. */
static void running_build_id(char *hex, size_t size)
{
	unsigned char notes[4096];
	size_t off = 0;
	ssize_t len;
	int fd = open("/sys/kernel/notes", O_RDONLY);

	hex[0] = '\0';
	if (fd < 0)
		return;
	len = read(fd, notes, sizeof(notes));
	close(fd);
	while (len > 0 && off + 12 <= (size_t)len) {
		unsigned int namesz, descsz, type;
		size_t name_at = off + 12, desc_at;

		memcpy(&namesz, notes + off, 4);
		memcpy(&descsz, notes + off + 4, 4);
		memcpy(&type, notes + off + 8, 4);
		desc_at = name_at + ((namesz + 3) & ~3u);
		if (desc_at + descsz > (size_t)len)
			return;
		if (type == NT_GNU_BUILD_ID_TYPE && namesz == 4 &&
		    !memcmp(notes + name_at, "GNU", 4) && 2 * descsz < size) {
			for (unsigned int i = 0; i < descsz; i++)
				sprintf(hex + 2 * i, "%02x", notes[desc_at + i]);
			return;
		}
		off = desc_at + ((descsz + 3) & ~3u);
	}
}

/*
 * --kernel-release REL [--kernel-build-id HEX] name another kernel (one
 * being prepared, or an image); without them, the running kernel.
 * Consumes those options from ARGV; returns the count left, or -1.
 */
static int parse_target(int argc, char **argv, struct target *t)
{
	struct utsname uts;
	int out = 0;

	t->release[0] = t->build_id[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel-release") && i + 1 < argc) {
			snprintf(t->release, sizeof(t->release), "%s", argv[++i]);
		} else if (!strcmp(argv[i], "--kernel-build-id") && i + 1 < argc) {
			snprintf(t->build_id, sizeof(t->build_id), "%s", argv[++i]);
		} else {
			argv[out++] = argv[i];
		}
	}
	if (strchr(t->release, '/') || !strcmp(t->release, "..") || !strcmp(t->release, "."))
		return -1;
	t->running = !t->release[0];
	if (t->running) {
		if (t->build_id[0] || uname(&uts))
			return -1;	/* a build id names another kernel's build */
		snprintf(t->release, sizeof(t->release), "%s", uts.release);
		running_build_id(t->build_id, sizeof(t->build_id));
	}
	return out;
}

static int by_order(const void *a, const void *b)
{
	const struct installed *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/* The patches installed for RELEASE, in order; the count, or -1. */
static int read_installed(const char *release, struct installed **out)
{
	char dir[512];
	struct installed *list = NULL;
	struct dirent *entry;
	DIR *d;
	int n = 0;

	*out = NULL;
	release_dir(dir, sizeof(dir), release);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((entry = readdir(d))) {
		const char *name = entry->d_name;
		size_t len = strlen(name);
		struct installed item, *more;
		char *end;

		/* NNN-ID.ko; anything else (a partial copy) is not a patch. */
		item.order = strtoul(name, &end, 10);
		if (end != name + 3 || *end != '-' || len < 8 || len >= sizeof(item.file) ||
		    strcmp(name + len - 3, ".ko"))
			continue;
		snprintf(item.id, sizeof(item.id), "%.*s", (int)(len - 7), name + 4);
		snprintf(item.file, sizeof(item.file), "%s", name);
		more = realloc(list, (n + 1) * sizeof(*list));
		if (!more) {
			free(list);
			closedir(d);
			return -1;
		}
		list = more;
		list[n++] = item;
	}
	closedir(d);
	qsort(list, n, sizeof(*list), by_order);
	*out = list;
	return n;
}

static const struct installed *find_installed(const struct installed *list, int n,
					      const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].id, id))
			return &list[i];
	return NULL;
}

/* Copies SRC to DST through a temporary name: a crash leaves no half file. */
static int copy_file(const char *src, const char *dst)
{
	char tmp[600], buf[65536];
	int in, out;
	ssize_t n = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (n < 0 || fsync(out) || close(out) || rename(tmp, dst)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int make_dirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static const char install_usage[] =
	"usage: ksplice install [--kernel-release REL [--kernel-build-id HEX]] FILE.ko";

int cmd_install(int argc, char **argv)
{
	char id[128], release[256], build_id[129], dir[512], path[900];
	struct installed *list;
	struct target t;
	unsigned int next = 1;
	int n;

	argc = parse_target(argc - 1, argv + 1, &t);
	if (argc != 1)
		return fail("%s", install_usage), KS_USAGE;
	if (module_info(argv[1], "ksplice_id", id, sizeof(id)) || !valid_id(id))
		return fail("%s: not a ksplice patch module", argv[1]), KS_USAGE;
	if (module_info(argv[1], "ksplice_release", release, sizeof(release)))
		return fail("%s: names no kernel release (made by an older ksplice create)",
			    argv[1]), KS_USAGE;
	if (module_info(argv[1], "ksplice_build_id", build_id, sizeof(build_id)))
		build_id[0] = '\0';
	if (strcmp(release, t.release))
		return fail("%s: built for kernel %s, not for %s%s", argv[1], release, t.release,
			    t.running ? ", the running kernel" : ""), KS_USAGE;
	if (build_id[0] && t.build_id[0] && strcmp(build_id, t.build_id))
		return fail("%s: built for kernel build %s, not for %s%s", argv[1], build_id,
			    t.build_id, t.running ? ", the running kernel's" : ""), KS_USAGE;
	n = read_installed(t.release, &list);
	if (n < 0)
		return fail("cannot read %s/%s: %m", state_dir(), t.release);
	if (find_installed(list, n, id)) {
		fail("%s is installed already, as %s (ksplice uninstall %s first)", id,
		     find_installed(list, n, id)->file, id);
		free(list);
		return KS_USAGE;
	}
	if (n)
		next = list[n - 1].order + 1;
	free(list);
	if (next > MAX_INSTALLED)
		return fail("%d patches are installed for %s already", MAX_INSTALLED, t.release);
	release_dir(dir, sizeof(dir), t.release);
	snprintf(path, sizeof(path), "%s/%03u-%s.ko", dir, next, id);
	if (make_dirs(dir) || copy_file(argv[1], path))
		return fail("cannot install %s as %s: %m", argv[1], path);
	printf("%s\n", path);
	return KS_OK;
}

int cmd_uninstall(int argc, char **argv)
{
	const struct installed *item;
	struct installed *list;
	char path[900];
	struct target t;
	int n, ret = KS_OK;

	argc = parse_target(argc - 1, argv + 1, &t);
	if (argc != 1 || !valid_id(argv[1]))
		return fail("usage: ksplice uninstall [--kernel-release REL] ID"), KS_USAGE;
	n = read_installed(t.release, &list);
	if (n < 0)
		return fail("cannot read %s/%s: %m", state_dir(), t.release);
	item = find_installed(list, n, argv[1]);
	if (!item) {
		ret = KS_USAGE;
		fail("%s is not installed for %s", argv[1], t.release);
	} else {
		snprintf(path, sizeof(path), "%s/%s/%s", state_dir(), t.release, item->file);
		if (unlink(path))
			ret = fail("cannot remove %s: %m", path);
		else
			fprintf(stderr, "ksplice: %s uninstalled (%s); one applied now stays "
				"until ksplice undo %s\n", argv[1], path, argv[1]);
	}
	free(list);
	return ret;
}

/* What the core says of patch ID: its stage, or "not loaded". */
static void loaded_stage(const char *id, char *stage, size_t size)
{
	if (patch_stage(id, stage, size))
		snprintf(stage, size, "not loaded");
}

int list_installed(int argc, char **argv, bool json)
{
	struct installed *list;
	struct target t;
	char stage[64];
	int n;

	if (parse_target(argc, argv, &t) != 0)
		return fail("usage: ksplice list --installed [--json] [--kernel-release REL]"),
		       KS_USAGE;
	n = read_installed(t.release, &list);
	if (n < 0)
		return fail("cannot read %s/%s: %m", state_dir(), t.release);
	if (json)
		printf("[");
	for (int i = 0; i < n; i++) {
		if (t.running)
			loaded_stage(list[i].id, stage, sizeof(stage));
		else
			snprintf(stage, sizeof(stage), "not running");
		if (json) {
			printf("%s{\"order\": %u, \"id\": ", i ? ", " : "", list[i].order);
			json_string(list[i].id);
			printf(", \"release\": ");
			json_string(t.release);
			printf(", \"file\": ");
			json_string(list[i].file);
			printf(", \"stage\": ");
			json_string(stage);
			printf("}");
		} else {
			printf("%u %s %s\n", list[i].order, list[i].id, stage);
		}
	}
	if (json)
		printf("]\n");
	free(list);
	return KS_OK;
}

/*
 * ksplice boot: apply every patch installed for the running release, in
 * order, each logged; past a failure to the next; non-zero at the end
 * if any failed.  One already applied counts as applied.
 */
int cmd_boot(int argc, char **argv)
{
	struct installed *list;
	struct target t;
	char stage[64], path[900], id[128];
	int n, applied = 0, failed = 0;

	if (parse_target(argc - 1, argv + 1, &t) != 0 || !t.running)
		return fail("usage: ksplice boot"), KS_USAGE;
	n = read_installed(t.release, &list);
	if (n < 0)
		return fail("cannot read %s/%s: %m", state_dir(), t.release);
	if (!n)
		printf("ksplice boot: nothing installed for %s\n", t.release);
	for (int i = 0; i < n; i++) {
		loaded_stage(list[i].id, stage, sizeof(stage));
		if (!strcmp(stage, "applied")) {
			printf("ksplice boot: %s: applied already\n", list[i].id);
			applied++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s/%s", state_dir(), t.release, list[i].file);
		fflush(stdout);	/* the reasons apply prints go to stderr, between */
		if (apply_file(path, id, sizeof(id), false) == KS_OK) {
			printf("ksplice boot: %s: applied\n", list[i].id);
			applied++;
		} else {
			printf("ksplice boot: %s: failed (the reason is above)\n", list[i].id);
			failed++;
		}
	}
	if (n)
		printf("ksplice boot: %d of %d installed patches applied, %d failed\n",
		       applied, n, failed);
	free(list);
	return failed ? KS_FAILED : KS_OK;
}
