/* SPDX-License-Identifier: GPL-2.0 */
/* The part of spandsp linesim uses. <spandsp.h> itself needs libtiff's headers, which we
 * neither have nor need, so include the pieces in the order spandsp.h does. */
#ifndef LINESIM_SPANDSP_H
#define LINESIM_SPANDSP_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <spandsp/telephony.h>
#include <spandsp/fast_convert.h>
#include <spandsp/logging.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/tone_generate.h>
#include <spandsp/async.h>
#include <spandsp/fsk.h>
#include <spandsp/dtmf.h>
#include <spandsp/adsi.h>

#endif
