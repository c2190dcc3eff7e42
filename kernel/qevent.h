/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAHDI's driver event queue (qevent.c): DTMF events from a card's own
 * detector kept from userspace while the line must not hear caller ID, and
 * polarity reversals passed to chan.c as call events.
 */
#ifndef _SAFELINE_QEVENT_H
#define _SAFELINE_QEVENT_H

int safeline_qevent_init(void);
void safeline_qevent_uninit(void);

#endif /* _SAFELINE_QEVENT_H */
