/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands that talk to safelined over its control socket rather
 * than to the kernel: calls, report, wipe, reload (one file each).
 */
#ifndef SAFECTL_AGENT_COMMANDS_H
#define SAFECTL_AGENT_COMMANDS_H

int cmd_calls(int argc, char *argv[]);
int cmd_report(int argc, char *argv[]);
int cmd_wipe(int argc, char *argv[]);
int cmd_reload(int argc, char *argv[]);

#endif
