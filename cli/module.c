// SPDX-License-Identifier: GPL-2.0
/* Loading and unloading modules, the core first. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ksplice.h"

/* What the kernel's sign-file appends last; the kernel looks for it there. */
static const char signature_marker[] = "~Module signature appended~\n";

static bool module_is_signed(int fd)
{
	char tail[sizeof(signature_marker) - 1];
	off_t size = lseek(fd, 0, SEEK_END);

	return size >= (off_t)sizeof(tail) &&
	       pread(fd, tail, sizeof(tail), size - sizeof(tail)) == (ssize_t)sizeof(tail) &&
	       !memcmp(tail, signature_marker, sizeof(tail));
}

/* Set by CONFIG_MODULE_SIG_FORCE or module.sig_enforce=1. */
static bool kernel_enforces_signatures(void)
{
	char value[8];

	return !read_text("/sys/module/module/parameters/sig_enforce", value, sizeof(value)) &&
	       value[0] == 'Y';
}

/*
 * Loads PATH; on failure prints why, naming PATH, and returns -1, except
 * for EEXIST (already loaded), which is left to the caller. An unsigned
 * module on a kernel that loads only signed ones is refused here, with
 * the remedy, rather than by the kernel's bare "Key was rejected".
 */
int load_module_file(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool is_signed;
	int ret;

	if (fd < 0)
		return fail("cannot open %s: %m", path), -1;
	is_signed = module_is_signed(fd);
	if (!is_signed && kernel_enforces_signatures()) {
		close(fd);
		return fail("%s is not signed, and this kernel loads only signed modules "
			    "(module.sig_enforce): sign it with the key of the kernel's build "
			    "(ksplice create does when the tree has CONFIG_MODULE_SIG)",
			    path), -1;
	}
	ret = syscall(SYS_finit_module, fd, params, 0);
	if (ret && errno == EEXIST) {
		close(fd);
		return ret;
	}
	if (ret && is_signed && (errno == EKEYREJECTED || errno == ENOKEY))
		fail("the kernel rejected the signature of %s: it is not signed with a key "
		     "this kernel trusts (%m)", path);
	else if (ret)
		fail("cannot load %s: %m (see dmesg)", path);
	close(fd);
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
	/* Where DKMS puts it (the ksplice-dkms package), then make's extra/. */
	snprintf(buf, size, "/lib/modules/%s/updates/dkms/ksplice.ko", uts.release);
	if (!access(buf, R_OK))
		return buf;
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
		return fail("the core did not load");
	return 0;
}

/* The patch id recorded by patchgen in the module's .modinfo. */
int module_info(const char *path, const char *key, char *value, size_t size)
{
	size_t len, off, key_len = strlen(key);
	char *info;
	int ret = -1;

	if (elf_section_read(path, ".modinfo", &info, &len))
		return -1;
	/* .modinfo is a run of NUL-terminated "key=value" strings. */
	for (off = 0; off < len; off += strlen(info + off) + 1) {
		const char *s = info + off;

		if (!strncmp(s, key, key_len) && s[key_len] == '=' &&
		    strlen(s + key_len + 1) < size) {
			strcpy(value, s + key_len + 1);
			ret = 0;
			break;
		}
	}
	free(info);
	return ret;
}
