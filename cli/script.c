// SPDX-License-Identifier: GPL-2.0
/*
 * The build-machine commands are kbuild driver scripts (kbuild/); this
 * finds them next to the installed or in-tree ksplice and runs them.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksplice.h"

#ifndef KSPLICE_HOME
#define KSPLICE_HOME "/usr/local/lib/ksplice"
#endif

int cmd_script(const char *script, int argc, char **argv)
{
	const char *home = getenv("KSPLICE_HOME");
	char path[PATH_MAX];
	char **args;

	if (!home || !*home)
		home = KSPLICE_HOME;
	snprintf(path, sizeof(path), "%s/kbuild/%s", home, script);
	if (access(path, R_OK))
		return fail("%s: not found; is KSPLICE_HOME (%s) right?", path, home), KS_USAGE;
	setenv("KSPLICE_HOME", home, 1);
	/*
	 * The scripts restore the kernel tree on Ctrl-C; a shell cannot trap
	 * a signal that was ignored when it started (as in a background job).
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	args = calloc(argc + 2, sizeof(*args));
	if (!args)
		return fail("out of memory");
	args[0] = "bash";
	args[1] = path;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execvp("bash", args);
	return fail("cannot run bash: %m");
}
