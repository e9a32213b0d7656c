// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice: one command for the whole job. create and setup run on the
 * build machine (they drive kbuild through the scripts in kbuild/);
 * apply, undo and list run on the machine being patched and talk to the
 * core through /sys/kernel/ksplice. Static, so it runs anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ksplice.h"

static const char usage_text[] =
	"usage: ksplice <command> [options]\n"
	"\n"
	"Build machine:\n"
	"  setup [--undo] KDIR            teach a kernel tree 'make KSPLICE=1'\n"
	"  create --patch FILE --kdir KDIR [-o OUTDIR] [--id ID] [-j N]\n"
	"                                 build ksplice-ID.ko from a fix; prints its path\n"
	"  fingerprints [--json] FILE.o   the plugin's records of one object\n"
	"Running machine (root):\n"
	"  apply FILE.ko                  load and apply a patch; prints its id\n"
	"  undo ID                        take a patch back out and unload it\n"
	"  list [--json]                  patches and their stage\n"
	"  show [--json] ID               one patch: stage, abort cause, tries, functions\n"
	"\n"
	"Exit codes: 0 ok, 1 failed, 2 usage or bad input, 3 nothing to patch,\n"
	"4 the fix cannot be applied live. See docs/cli.md.\n";

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("ksplice: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return KS_FAILED;
}

int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_text, cmd ? stdout : stderr);
		return cmd ? KS_OK : KS_USAGE;
	}
	if (!strcmp(cmd, "apply"))
		return cmd_apply(argc - 1, argv + 1);
	if (!strcmp(cmd, "undo"))
		return cmd_undo(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "fingerprints"))
		return cmd_fingerprints(argc - 1, argv + 1);
	if (!strcmp(cmd, "create"))
		return cmd_script("create.sh", argc - 1, argv + 1);
	if (!strcmp(cmd, "setup"))
		return cmd_script("setup.sh", argc - 1, argv + 1);
	fprintf(stderr, "ksplice: unknown command '%s'\n%s", cmd, usage_text);
	return KS_USAGE;
}
