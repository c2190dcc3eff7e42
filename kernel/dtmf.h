/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Digits that bypass the audio path (dtmf.c): DTMF events from a card's own
 * detector, kept from userspace while the line must not hear caller ID.
 */
#ifndef _SAFELINE_DTMF_H
#define _SAFELINE_DTMF_H

int safeline_dtmf_init(void);
void safeline_dtmf_uninit(void);

#endif /* _SAFELINE_DTMF_H */
