/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Polarity reversals that drivers report (polarity.c): probes on DAHDI's
 * event queue that tell chan.c.
 */
#ifndef _SAFELINE_POLARITY_H
#define _SAFELINE_POLARITY_H

int safeline_polarity_init(void);
void safeline_polarity_uninit(void);

#endif /* _SAFELINE_POLARITY_H */
