// SPDX-License-Identifier: GPL-2.0
/* Loading and unloading modules, the core first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ksplice.h"

int load_module_file(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret, saved;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params, 0);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

/* The core needs kallsyms_lookup_name, which 6.1 does not export. */
static unsigned long kallsyms_lookup_name_addr(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long addr, found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %255s", &addr, &type, name) == 3 &&
		    !strcmp(name, "kallsyms_lookup_name")) {
			found = addr;
			break;
		}
	fclose(f);
	return found;
}

static const char *find_core(char *buf, size_t size)
{
	const char *env = getenv("KSPLICE_CORE");
	struct utsname uts;

	if (env && *env)
		return env;
	if (!access("/usr/lib/ksplice/ksplice.ko", R_OK))
		return "/usr/lib/ksplice/ksplice.ko";
	uname(&uts);
	snprintf(buf, size, "/lib/modules/%s/extra/ksplice.ko", uts.release);
	return buf;
}

int load_core(void)
{
	char path_buf[512], params[64];
	const char *path;
	unsigned long addr;
	struct stat st;

	if (!stat(SYSFS_ROOT, &st))
		return 0;
	path = find_core(path_buf, sizeof(path_buf));
	addr = kallsyms_lookup_name_addr();
	if (!addr)
		return fail("cannot read kallsyms_lookup_name from /proc/kallsyms (not root?)");
	snprintf(params, sizeof(params), "kallsyms_lookup_name_addr=0x%lx", addr);
	if (load_module_file(path, params) && errno != EEXIST)
		return fail("cannot load the core %s: %m (see dmesg)", path);
	return 0;
}

/* The patch id recorded by patchgen in the module's .modinfo. */
int module_id_of(const char *path, char *id, size_t size)
{
	static const char key[] = "ksplice_id=";
	size_t len, off;
	char *info;
	int ret = -1;

	if (elf_section_read(path, ".modinfo", &info, &len))
		return -1;
	/* .modinfo is a run of NUL-terminated "key=value" strings. */
	for (off = 0; off < len; off += strlen(info + off) + 1) {
		const char *s = info + off;

		if (!strncmp(s, key, sizeof(key) - 1) && strlen(s + sizeof(key) - 1) < size) {
			strcpy(id, s + sizeof(key) - 1);
			ret = 0;
			break;
		}
	}
	free(info);
	return ret;
}
