// SPDX-License-Identifier: GPL-2.0
/*
 * safeline.ko: module entry and exit. Everything else lives in the file
 * named for its concern; this one only brings them up and down in order.
 */

#include <linux/module.h>
#include <linux/genetlink.h>

#include "chan.h"
#include "event.h"
#include "hook.h"
#include "netlink.h"
#include "verify.h"
#include "version.h"
#include "uapi/linux/safeline.h"

static int __init safeline_init(void)
{
	int ret;

	ret = safeline_chan_init();
	if (ret)
		return ret;
	ret = safeline_event_init();
	if (ret)
		goto err_chan;
	ret = safeline_netlink_init();
	if (ret)
		goto err_event;
	ret = safeline_hook_init();	/* last: audio and driver events flow once this succeeds */
	if (ret)
		goto err_netlink;
	pr_info("SafeLine " SAFELINE_VERSION " loaded\n");
	return 0;
err_netlink:
	safeline_netlink_uninit();
err_event:
	safeline_event_uninit();
err_chan:
	safeline_chan_uninit();
	return ret;
}

static void __exit safeline_exit(void)
{
	safeline_hook_uninit();		/* first: no chunk or driver event reaches chan.c after this */
	safeline_event_uninit();	/* the sender stops before the family goes */
	safeline_netlink_uninit();
	safeline_chan_uninit();		/* frees the verifiers */
	safeline_verify_uninit();	/* wipes the own-number table */
	pr_debug("SafeLine " SAFELINE_VERSION " unloaded\n");
}

module_init(safeline_init);
module_exit(safeline_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Caller-ID suppression for DAHDI analog channels");
MODULE_AUTHOR("SafeLine developers");
MODULE_VERSION(SAFELINE_VERSION);
MODULE_ALIAS_GENL_FAMILY(SAFELINE_GENL_NAME);
