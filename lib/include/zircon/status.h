/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/status.h> for zxsocket.
 */
#ifndef ZIRCON_STATUS_H_
#define ZIRCON_STATUS_H_

#include <zircon/types.h>

__BEGIN_CDECLS

/*
 * The name of a status as a static string, "ZX_OK" or "ZX_ERR_PEER_CLOSED";
 * "(UNKNOWN)" for a value Fuchsia does not define.  Never NULL.
 */
const char *zx_status_get_string(zx_status_t status);

__END_CDECLS

#endif /* ZIRCON_STATUS_H_ */
