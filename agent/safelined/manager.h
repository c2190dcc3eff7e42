/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state: the event loop and every source and connection it
 * owns. manager_free() accepts NULL and half-built managers.
 */
#ifndef SAFELINED_MANAGER_H
#define SAFELINED_MANAGER_H

#include <systemd/sd-event.h>

#include "agent/shared/genl.h"

typedef struct Manager {
	sd_event *event;
	struct safeline_genl genl;	/* requests to safeline.ko */
	struct safeline_status status;	/* as last read from the module */
} Manager;

int manager_new(Manager **ret);
Manager *manager_free(Manager *m);
/* Connects to safeline.ko (loading it if needed) and reads its status. */
int manager_connect(Manager *m);
/* The STATUS= line for sd_notify, describing what we are connected to. */
int manager_status_text(Manager *m, char *buf, size_t size);

#endif
