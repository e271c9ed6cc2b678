/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <magenta/syscalls.h>: Magenta's mx_* socket calls.  Each is its zx_*
 * twin, except mx_socket_write, which also takes MX_SOCKET_HALF_CLOSE with
 * Magenta's meaning: this end stops writing, the peer sees
 * MX_SOCKET_PEER_CLOSED, drains what is queued and then reads
 * MX_ERR_PEER_CLOSED, and can still write back.
 */
#ifndef MAGENTA_SYSCALLS_H_
#define MAGENTA_SYSCALLS_H_

#include <magenta/types.h>
#include <zircon/syscalls.h>

__BEGIN_CDECLS

mx_status_t mx_socket_write(mx_handle_t handle, uint32_t options,
			    const void *buffer, size_t size, size_t *actual);

static inline mx_status_t mx_socket_create(uint32_t options, mx_handle_t *out0, mx_handle_t *out1)
{
	return zx_socket_create(options, out0, out1);
}

static inline mx_status_t mx_socket_read(mx_handle_t handle, uint32_t options, void *buffer, size_t size, size_t *actual)
{
	return zx_socket_read(handle, options, buffer, size, actual);
}

static inline mx_status_t mx_socket_set_disposition(mx_handle_t handle, uint32_t disposition, uint32_t disposition_peer)
{
	return zx_socket_set_disposition(handle, disposition, disposition_peer);
}

static inline mx_status_t mx_socket_shutdown(mx_handle_t handle, uint32_t options)
{
	return zx_socket_shutdown(handle, options);
}

static inline mx_status_t mx_socket_share(mx_handle_t handle, mx_handle_t socket_to_share)
{
	return zx_socket_share(handle, socket_to_share);
}

static inline mx_status_t mx_socket_accept(mx_handle_t handle, mx_handle_t *out)
{
	return zx_socket_accept(handle, out);
}

static inline mx_status_t mx_object_wait_one(mx_handle_t handle, mx_signals_t signals, mx_time_t deadline, mx_signals_t *observed)
{
	return zx_object_wait_one(handle, signals, deadline, observed);
}

static inline mx_status_t mx_object_wait_many(mx_wait_item_t *items, size_t count, mx_time_t deadline)
{
	return zx_object_wait_many(items, count, deadline);
}

static inline mx_status_t mx_object_signal(mx_handle_t handle, uint32_t clear_mask, uint32_t set_mask)
{
	return zx_object_signal(handle, clear_mask, set_mask);
}

static inline mx_status_t mx_object_signal_peer(mx_handle_t handle, uint32_t clear_mask, uint32_t set_mask)
{
	return zx_object_signal_peer(handle, clear_mask, set_mask);
}

static inline mx_status_t mx_object_get_info(mx_handle_t handle, uint32_t topic, void *buffer, size_t buffer_size, size_t *actual, size_t *avail)
{
	return zx_object_get_info(handle, topic, buffer, buffer_size, actual, avail);
}

static inline mx_status_t mx_object_get_property(mx_handle_t handle, uint32_t property, void *value, size_t value_size)
{
	return zx_object_get_property(handle, property, value, value_size);
}

static inline mx_status_t mx_object_set_property(mx_handle_t handle, uint32_t property, const void *value, size_t value_size)
{
	return zx_object_set_property(handle, property, value, value_size);
}

static inline mx_status_t mx_handle_close(mx_handle_t handle)
{
	return zx_handle_close(handle);
}

static inline mx_status_t mx_handle_duplicate(mx_handle_t handle, mx_rights_t rights, mx_handle_t *out)
{
	return zx_handle_duplicate(handle, rights, out);
}

static inline mx_status_t mx_handle_replace(mx_handle_t handle, mx_rights_t rights, mx_handle_t *out)
{
	return zx_handle_replace(handle, rights, out);
}

static inline mx_time_t mx_time_get_monotonic(void)
{
	return zx_clock_get_monotonic();
}

/* Magenta's clock read: MX_CLOCK_MONOTONIC, MX_CLOCK_UTC, MX_CLOCK_THREAD. */
static inline mx_time_t mx_time_get(uint32_t clock_id)
{
	return zx_clock_get(clock_id);
}

static inline mx_time_t mx_deadline_after(mx_duration_t nanoseconds)
{
	return zx_deadline_after(nanoseconds);
}

__END_CDECLS

#endif /* MAGENTA_SYSCALLS_H_ */
