/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/syscalls.h> for zxsocket: Fuchsia's socket, wait, signal, info,
 * property, handle and clock calls, on Linux.
 *
 * A zx_handle_t is a file descriptor: an endpoint fd of the zxsocket
 * module.  Such fds work with read(2), write(2), poll(2), close(2),
 * dup(2), fork() and SCM_RIGHTS too; the library never hands out fd 0
 * (ZX_HANDLE_INVALID).  New handles are close-on-exec.
 *
 * The calls are thread-safe and take no library lock: each is one ioctl.
 * A handle value of 0 or above INT_MAX is ZX_ERR_BAD_HANDLE (but closing
 * ZX_HANDLE_INVALID is ZX_OK); invalid options and NULL buffers are
 * reported before that.  Out parameters are written only on
 * success unless a call says otherwise.  Linux signal handlers never make
 * a call fail: interrupted waits resume with the same deadline.
 *
 * Only zx_socket_create() and zx_object_wait_many() need /dev/zxsocket,
 * which the library opens on first use.  If it cannot (the module is not
 * loaded, or the device node is missing or not accessible), those two calls
 * return ZX_ERR_UNAVAILABLE from then on; setting the environment variable
 * ZXSOCKET_DEBUG to a non-empty value makes the library say why, in one
 * line on stderr.  A shortage of fds or memory while opening it is not
 * remembered: that call returns ZX_ERR_NO_RESOURCES or ZX_ERR_NO_MEMORY and
 * the next call tries again.
 */
#ifndef ZIRCON_SYSCALLS_H_
#define ZIRCON_SYSCALLS_H_

#include <stddef.h>
#include <stdint.h>
#include <zircon/compiler.h>
#include <zircon/status.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

__BEGIN_CDECLS

/* ------------------------------------------------------------- sockets */

/*
 * Create a socket: two connected endpoints, *out0 and *out1, each with
 * ZX_DEFAULT_SOCKET_RIGHTS.  options: ZX_SOCKET_STREAM or
 * ZX_SOCKET_DATAGRAM, optionally | ZX_SOCKET_HAS_CONTROL and
 * | ZX_SOCKET_HAS_ACCEPT.
 * Errors: ZX_ERR_INVALID_ARGS (options, a NULL out pointer),
 * ZX_ERR_NO_RESOURCES (no free fd), ZX_ERR_NO_MEMORY,
 * ZX_ERR_UNAVAILABLE (no /dev/zxsocket, see above).
 */
zx_status_t zx_socket_create(uint32_t options, zx_handle_t *out0,
			     zx_handle_t *out1);

/*
 * Write to the peer.  options: 0, or ZX_SOCKET_CONTROL for the control
 * plane.  A stream write may be short (*actual says how much went); a
 * datagram is written whole or not at all.  actual may be NULL.
 */
zx_status_t zx_socket_write(zx_handle_t handle, uint32_t options,
			    const void *buffer, size_t buffer_size,
			    size_t *actual);

/*
 * Read what the peer wrote.  options: a subset of ZX_SOCKET_PEEK |
 * ZX_SOCKET_CONTROL.  A datagram read takes one datagram and drops what
 * does not fit.  actual may be NULL.
 */
zx_status_t zx_socket_read(zx_handle_t handle, uint32_t options,
			   void *buffer, size_t buffer_size, size_t *actual);

/*
 * Disable or re-enable writing on this end and/or on the peer: each of
 * disposition and disposition_peer is 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED
 * or ZX_SOCKET_DISPOSITION_WRITE_ENABLED.  Needs ZX_RIGHT_MANAGE_SOCKET.
 */
zx_status_t zx_socket_set_disposition(zx_handle_t handle,
				      uint32_t disposition,
				      uint32_t disposition_peer);

/*
 * The older, irreversible form: ZX_SOCKET_SHUTDOWN_WRITE stops this end's
 * writes, ZX_SOCKET_SHUTDOWN_READ the peer's.  Needs ZX_RIGHT_WRITE.
 */
zx_status_t zx_socket_shutdown(zx_handle_t handle, uint32_t options);

/*
 * Legacy share/accept (HAS_ACCEPT sockets).  zx_socket_share always
 * consumes socket_to_share, on success and on failure.
 */
zx_status_t zx_socket_share(zx_handle_t handle, zx_handle_t socket_to_share);
zx_status_t zx_socket_accept(zx_handle_t handle, zx_handle_t *out_socket);

/* ------------------------------------------------------------- objects */

/*
 * Wait until any of signals is asserted on handle, or until deadline
 * (CLOCK_MONOTONIC ns; ZX_TIME_INFINITE: never; a past deadline just looks).
 * *observed (may be NULL) gets every asserted signal, on ZX_OK and also
 * on ZX_ERR_TIMED_OUT.  A Linux signal handler running meanwhile does not
 * end the wait.
 */
zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals,
			       zx_time_t deadline, zx_signals_t *observed);

/*
 * Wait until any item's waitfor signals are asserted, or until deadline.
 * Every item's pending is written on ZX_OK and on ZX_ERR_TIMED_OUT.
 * count 0 just sleeps until deadline; above ZX_WAIT_MANY_MAX_ITEMS it is
 * ZX_ERR_OUT_OF_RANGE.  Needs /dev/zxsocket (see above).
 */
zx_status_t zx_object_wait_many(zx_wait_item_t *items, size_t count,
				zx_time_t deadline);

/* Clear, then set, user signals (ZX_USER_SIGNAL_*) on this end. */
zx_status_t zx_object_signal(zx_handle_t handle, uint32_t clear_mask,
			     uint32_t set_mask);

/* The same on the peer; ZX_ERR_PEER_CLOSED once it is gone. */
zx_status_t zx_object_signal_peer(zx_handle_t handle, uint32_t clear_mask,
				  uint32_t set_mask);

/*
 * Fetch a record: ZX_INFO_HANDLE_VALID (no record), ZX_INFO_HANDLE_BASIC
 * (zx_info_handle_basic_t) or ZX_INFO_SOCKET (zx_info_socket_t).
 * *actual and *avail (each may be NULL) get the records written and
 * available, on ZX_OK and also on ZX_ERR_BUFFER_TOO_SMALL.
 */
zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic,
			       void *buffer, size_t buffer_size,
			       size_t *actual, size_t *avail);

/*
 * ZX_PROP_SOCKET_RX_THRESHOLD / ZX_PROP_SOCKET_TX_THRESHOLD; value points
 * to a size_t and value_size must be at least sizeof(size_t).
 */
zx_status_t zx_object_get_property(zx_handle_t handle, uint32_t property,
				   void *value, size_t value_size);
zx_status_t zx_object_set_property(zx_handle_t handle, uint32_t property,
				   const void *value, size_t value_size);

/* --------------------------------------------------------------- ports */

/*
 * A port: a queue of zx_port_packet_t.  Its handle is an fd that polls
 * readable (POLLIN) while packets are queued, so one epoll registration
 * serves a whole port.  options is 0 or ZX_PORT_BIND_TO_INTERRUPT.
 * Needs /dev/zxsocket.
 */
zx_status_t zx_port_create(uint32_t options, zx_handle_t *out);

/* Queue a ZX_PKT_TYPE_USER packet (key, status and user are kept). */
zx_status_t zx_port_queue(zx_handle_t handle, const zx_port_packet_t *packet);

/* Take the oldest packet, waiting until deadline. */
zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline,
			 zx_port_packet_t *packet);

/*
 * Cancel source's pending zx_object_wait_async() waits on port with key
 * and drop their queued packets; ZX_ERR_NOT_FOUND if there were none.
 */
zx_status_t zx_port_cancel(zx_handle_t handle, zx_handle_t source,
			   uint64_t key);

/*
 * When any of signals is asserted on handle (at once if one already is,
 * unless options has ZX_WAIT_ASYNC_EDGE), queue one ZX_PKT_TYPE_SIGNAL_ONE
 * packet with key on port.  Closing handle (its last fd) cancels the wait.
 * Needs /dev/zxsocket.
 */
zx_status_t zx_object_wait_async(zx_handle_t handle, zx_handle_t port,
				 uint64_t key, zx_signals_t signals,
				 uint32_t options);

/* ------------------------------------------------------------- handles */

/* Close a handle (any fd); ZX_HANDLE_INVALID is ZX_OK. */
zx_status_t zx_handle_close(zx_handle_t handle);

/*
 * Close every handle in the array, even past a bad one, which makes the
 * result ZX_ERR_BAD_HANDLE.  ZX_HANDLE_INVALID entries are skipped.
 */
zx_status_t zx_handle_close_many(const zx_handle_t *handles,
				 size_t num_handles);

/*
 * A new handle to the same endpoint with rights (ZX_RIGHT_SAME_RIGHTS or a
 * subset of handle's).  Needs ZX_RIGHT_DUPLICATE.
 */
zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights,
				zx_handle_t *out);

/*
 * Like zx_handle_duplicate() without needing ZX_RIGHT_DUPLICATE, and handle
 * is closed whatever the outcome, except when it was no handle to close
 * (ZX_ERR_BAD_HANDLE) or no socket (ZX_ERR_WRONG_TYPE).
 */
zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights,
			      zx_handle_t *out);

/* --------------------------------------------------------------- time */

/* CLOCK_MONOTONIC in nanoseconds: the clock wait deadlines use. */
zx_time_t zx_clock_get_monotonic(void);

/*
 * The 2018 form: ZX_CLOCK_MONOTONIC (CLOCK_MONOTONIC), ZX_CLOCK_UTC
 * (CLOCK_REALTIME) or ZX_CLOCK_THREAD (this thread's CPU time), in ns;
 * 0 for any other clock.
 */
zx_time_t zx_clock_get(zx_clock_t clock_id);

/* Now plus nanoseconds, clamped to ZX_TIME_INFINITE(_PAST). */
zx_time_t zx_deadline_after(zx_duration_t nanoseconds);

/*
 * Sleep until deadline (CLOCK_MONOTONIC).  A deadline <= 0 just yields the
 * CPU.  Linux signal handlers do not end the sleep early.  Returns ZX_OK.
 */
zx_status_t zx_nanosleep(zx_time_t deadline);

__END_CDECLS

#endif /* ZIRCON_SYSCALLS_H_ */
