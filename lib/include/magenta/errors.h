/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* <magenta/errors.h>: the MX_ERR_* statuses live in <magenta/types.h>. */
#ifndef MAGENTA_ERRORS_H_
#define MAGENTA_ERRORS_H_
#include <magenta/types.h>
#endif /* MAGENTA_ERRORS_H_ */
