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
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ksplice.h"

static const char usage_text[] =
	"usage: ksplice <command> [options]    (ksplice <command> --help for one)\n"
	"\n"
	"Build machine:\n"
	"  setup [--undo] KDIR            teach a kernel tree 'make KSPLICE=1'\n"
	"  create (--patch FILE... | --git REV|A..B) --kdir KDIR [--manifest FILE]\n"
	"         [-o OUTDIR] [--id ID] [--dry-run] [--json] [--report FILE]\n"
	"                                 build ksplice-ID.ko from a fix; prints its path\n"
	"  fingerprints [--json] FILE.o   the plugin's records of one object\n"
	"  manifest write --kdir KDIR [-o FILE] | show [--json] FILE\n"
	"                                 the pre build's manifest, for create --manifest\n"
	"Running machine (root):\n"
	"  apply [--replace] FILE.ko      load and apply a patch; prints its id\n"
	"  undo ID                        take a patch back out and unload it\n"
	"  list [--installed] [--json]    patches and their stage\n"
	"  show [--json] ID               one patch: stage, abort cause, tries, functions\n"
	"  install FILE.ko                keep a patch, to be applied at every boot\n"
	"  uninstall ID                   stop applying it at boot\n"
	"  boot                           apply the installed patches, in order\n"
	"\n"
	"Exit codes: 0 ok, 1 failed, 2 usage or bad input, 3 nothing to patch,\n"
	"4 the fix cannot be applied live, 130 interrupted. See docs/cli.md and ksplice(1).\n";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *script;	/* run by kbuild/SCRIPT instead, which has its own --help */
	const char *help;
};

static int run_create(int argc, char **argv) { return cmd_script("create.sh", argc, argv); }
static int run_setup(int argc, char **argv) { return cmd_script("setup.sh", argc, argv); }

static const struct command commands[] = {
	{ "create", run_create, "create.sh", NULL },
	{ "setup", run_setup, NULL,
	  "usage: ksplice setup [--undo] KDIR\n\n"
	  "Adds one marked '-include .ksplice.mk' line to KDIR's top Makefile and\n"
	  "writes KDIR/.ksplice.mk, so that 'make KSPLICE=1' builds with the\n"
	  "fingerprint plugin. Idempotent. --undo removes both.\n" },
	{ "apply", cmd_apply, NULL,
	  "usage: ksplice apply [--replace] FILE.ko\n\n"
	  "Loads the core (ksplice.ko) if needed, loads the patch module and applies\n"
	  "it: every CPU stopped, no task inside a replaced function. Prints the\n"
	  "patch id. On failure prints the abort cause and unloads what it loaded.\n"
	  "--replace: FILE is cumulative and takes the place of every other applied\n"
	  "patch in the same stopped window (their functions it does not replace\n"
	  "get their original code back); their modules are then unloaded. Undo of\n"
	  "it restores the original code. A replace that fails changes nothing.\n"
	  "On a kernel that loads only signed modules an unsigned FILE is refused\n"
	  "first. Exit 0 applied, 1 refused, 2 not a patch module.\n" },
	{ "undo", cmd_undo, NULL,
	  "usage: ksplice undo ID\n\n"
	  "Takes patch ID back out (the original functions run again) and unloads\n"
	  "its module. Refused while a task is inside its new code or a later\n"
	  "patch replaces one of its functions again. Exit 0 undone, 1 refused.\n" },
	{ "list", cmd_list, NULL,
	  "usage: ksplice list [--json]\n"
	  "       ksplice list --installed [--json] [--kernel-release REL]\n\n"
	  "Every loaded patch and its stage (loaded, applied, reversed), one\n"
	  "'ID STAGE' line each, or a JSON array of {id, stage, abort_cause}.\n"
	  "--installed: the patches installed for the running kernel (or REL),\n"
	  "in the order boot applies them, 'ORDER ID STAGE' lines or a JSON array\n"
	  "of {order, id, release, file, stage}.\n" },
	{ "install", cmd_install, NULL,
	  "usage: ksplice install [--kernel-release REL [--kernel-build-id HEX]] FILE.ko\n\n"
	  "Keeps FILE for the kernel it was built against, as\n"
	  "/var/lib/ksplice/RELEASE/NNN-ID.ko ($KSPLICE_STATE_DIR instead of\n"
	  "/var/lib/ksplice), after those installed before it: 'ksplice boot'\n"
	  "applies them in that order. Installing does not apply. A patch built\n"
	  "for another release or build than the running kernel's (or REL's and\n"
	  "HEX's) is refused, naming both. Prints the installed path. Exit 0\n"
	  "installed, 1 failed, 2 not a patch, another kernel's, or installed.\n" },
	{ "uninstall", cmd_uninstall, NULL,
	  "usage: ksplice uninstall [--kernel-release REL] ID\n\n"
	  "Removes installed patch ID, so that boot no longer applies it. It does\n"
	  "not undo it: 'ksplice undo ID' does. Exit 2 if ID is not installed.\n" },
	{ "boot", cmd_boot, NULL,
	  "usage: ksplice boot\n\n"
	  "Applies every patch installed for the running kernel, in order, and\n"
	  "prints one line for each: applied, applied already, or failed (after\n"
	  "the reason). A failure does not stop the patches after it. Ends with\n"
	  "a summary line. Exit 0 if every one is applied, 1 otherwise. The\n"
	  "systemd unit ksplice.service runs it at boot.\n" },
	{ "show", cmd_show, NULL,
	  "usage: ksplice show [--json] ID\n\n"
	  "One patch: stage, abort cause, tries, the stopped time of the last\n"
	  "apply or undo, and each function with its object and old and new\n"
	  "address; 'key: value' lines or a JSON object.\n" },
	{ "manifest", cmd_manifest, NULL, manifest_usage },
	{ "fingerprints", cmd_fingerprints, NULL,
	  "usage: ksplice fingerprints [--json] FILE.o\n\n"
	  "The plugin's records of one object built with KSPLICE=1: the compiler,\n"
	  "plugin and flags, and each function's, data object's and type's\n"
	  "fingerprint (docs/fingerprints.md). Exit 2 for an object without them.\n" },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static bool asks_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

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
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct command *cmd;

	if (!name || !strcmp(name, "help") || asks_help(name)) {
		if (name && !strcmp(name, "help") && argc > 2) {
			cmd = find_command(argv[2]);
			if (!cmd)
				return fail("no command '%s'", argv[2]), KS_USAGE;
			if (cmd->script) {
				char *args[] = { argv[2], "--help", NULL };

				return cmd->run(2, args);
			}
			fputs(cmd->help, stdout);
			return KS_OK;
		}
		fputs(usage_text, name ? stdout : stderr);
		return name ? KS_OK : KS_USAGE;
	}
	cmd = find_command(name);
	if (!cmd) {
		fprintf(stderr, "ksplice: unknown command '%s'\n%s", name, usage_text);
		return KS_USAGE;
	}
	if (!cmd->script && argc > 2 && asks_help(argv[2])) {
		fputs(cmd->help, stdout);
		return KS_OK;
	}
	return cmd->run(argc - 1, argv + 1);
}
