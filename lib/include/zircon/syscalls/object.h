/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * <zircon/syscalls/object.h> for zxsocket: zx_object_get_info() topics and
 * records, and zx_object_{get,set}_property() properties.
 *
 * Sockets answer ZX_INFO_HANDLE_VALID, ZX_INFO_HANDLE_BASIC and
 * ZX_INFO_SOCKET; every other topic is ZX_ERR_NOT_SUPPORTED.  The other
 * topic numbers are listed so that Fuchsia code naming them compiles.
 */
#ifndef ZIRCON_SYSCALLS_OBJECT_H_
#define ZIRCON_SYSCALLS_OBJECT_H_

#include <stdint.h>
#include <zircon/types.h>

__BEGIN_CDECLS

/* Versioned topics keep the version in the top 4 bits. */
#define __ZX_INFO_TOPIC(t, v) ((zx_object_info_topic_t)((t) | ((v) << 28)))

typedef uint32_t zx_object_info_topic_t;

#define ZX_INFO_NONE			((zx_object_info_topic_t)0u)
#define ZX_INFO_HANDLE_VALID		((zx_object_info_topic_t)1u)
#define ZX_INFO_HANDLE_BASIC		((zx_object_info_topic_t)2u)
#define ZX_INFO_PROCESS			__ZX_INFO_TOPIC(3u, 1u)
#define ZX_INFO_PROCESS_THREADS		((zx_object_info_topic_t)4u)
#define ZX_INFO_VMAR			((zx_object_info_topic_t)7u)
#define ZX_INFO_JOB_CHILDREN		((zx_object_info_topic_t)8u)
#define ZX_INFO_JOB_PROCESSES		((zx_object_info_topic_t)9u)
#define ZX_INFO_THREAD			((zx_object_info_topic_t)10u)
#define ZX_INFO_THREAD_EXCEPTION_REPORT	__ZX_INFO_TOPIC(11u, 1u)
#define ZX_INFO_TASK_STATS		((zx_object_info_topic_t)12u)
#define ZX_INFO_PROCESS_MAPS		((zx_object_info_topic_t)13u)
#define ZX_INFO_PROCESS_VMOS		__ZX_INFO_TOPIC(14u, 1u)
#define ZX_INFO_THREAD_STATS		((zx_object_info_topic_t)15u)
#define ZX_INFO_CPU_STATS		((zx_object_info_topic_t)16u)
#define ZX_INFO_KMEM_STATS		((zx_object_info_topic_t)17u)
#define ZX_INFO_RESOURCE		((zx_object_info_topic_t)18u)
#define ZX_INFO_HANDLE_COUNT		((zx_object_info_topic_t)19u)
#define ZX_INFO_BTI			((zx_object_info_topic_t)20u)
#define ZX_INFO_PROCESS_HANDLE_STATS	((zx_object_info_topic_t)21u)
#define ZX_INFO_SOCKET			((zx_object_info_topic_t)22u)
#define ZX_INFO_VMO			__ZX_INFO_TOPIC(23u, 1u)
#define ZX_INFO_JOB			((zx_object_info_topic_t)24u)
#define ZX_INFO_TIMER			((zx_object_info_topic_t)25u)
#define ZX_INFO_STREAM			((zx_object_info_topic_t)26u)
#define ZX_INFO_HANDLE_TABLE		((zx_object_info_topic_t)27u)
#define ZX_INFO_MSI			((zx_object_info_topic_t)28u)
#define ZX_INFO_GUEST_STATS		((zx_object_info_topic_t)29u)
#define ZX_INFO_TASK_RUNTIME		__ZX_INFO_TOPIC(30u, 1u)
#define ZX_INFO_KMEM_STATS_EXTENDED	((zx_object_info_topic_t)31u)
#define ZX_INFO_VCPU			((zx_object_info_topic_t)32u)

/* ZX_INFO_HANDLE_BASIC: one record, 32 bytes. */
typedef struct zx_info_handle_basic {
	/* The object's unique id. */
	zx_koid_t koid;
	/* This handle's rights. */
	zx_rights_t rights;
	/* ZX_OBJ_TYPE_SOCKET for a socket. */
	zx_obj_type_t type;
	/* The peer endpoint's koid; it stays even after the peer is gone. */
	zx_koid_t related_koid;
	uint32_t reserved;
	uint8_t padding1[4];
} zx_info_handle_basic_t;

/*
 * Fuchsia declares the socket record's sizes as size_t and only runs on
 * 64-bit machines.  The zxsocket module always writes 64-bit fields, so a
 * 32-bit build gets uint64_t here to keep the 48-byte layout.
 */
#if SIZE_MAX == UINT64_MAX
#define __ZX_INFO_SIZE_T size_t
#else
#define __ZX_INFO_SIZE_T uint64_t
#endif

/* ZX_INFO_SOCKET: one record, 48 bytes; needs ZX_RIGHT_INSPECT. */
typedef struct zx_info_socket {
	/* The options given to zx_socket_create(). */
	uint32_t options;
	uint8_t padding1[4];
	/* Capacity of this end's receive queue, in bytes. */
	__ZX_INFO_SIZE_T rx_buf_max;
	/* Bytes queued for this end. */
	__ZX_INFO_SIZE_T rx_buf_size;
	/* What one read gets: rx_buf_size, or the next datagram's size. */
	__ZX_INFO_SIZE_T rx_buf_available;
	/* The peer's receive queue capacity; 0 once the peer is gone. */
	__ZX_INFO_SIZE_T tx_buf_max;
	/* Bytes queued for the peer; 0 once the peer is gone. */
	__ZX_INFO_SIZE_T tx_buf_size;
} zx_info_socket_t;

#undef __ZX_INFO_SIZE_T

__ZX_STATIC_ASSERT(sizeof(zx_info_handle_basic_t) == 32,
		   "zx_info_handle_basic_t must be 32 bytes");
__ZX_STATIC_ASSERT(sizeof(zx_info_socket_t) == 48,
		   "zx_info_socket_t must be 48 bytes");

/*
 * Properties.  The socket thresholds take a size_t: 0 disables the
 * threshold signal, a value above the queue capacity is rejected.
 */
#define ZX_PROP_NAME			((uint32_t)3u)
#define ZX_PROP_PROCESS_DEBUG_ADDR	((uint32_t)5u)
#define ZX_PROP_PROCESS_VDSO_BASE_ADDRESS ((uint32_t)6u)
#define ZX_PROP_PROCESS_BREAK_ON_LOAD	((uint32_t)7u)
#define ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID ((uint32_t)8u)
#define ZX_PROP_SOCKET_RX_THRESHOLD	12u
#define ZX_PROP_SOCKET_TX_THRESHOLD	13u
#define ZX_PROP_JOB_KILL_ON_OOM		15u
#define ZX_PROP_EXCEPTION_STATE		16u
#define ZX_PROP_VMO_CONTENT_SIZE	17u
#define ZX_PROP_EXCEPTION_STRATEGY	18u
#define ZX_PROP_STREAM_MODE_APPEND	19u

__END_CDECLS

#endif /* ZIRCON_SYSCALLS_OBJECT_H_ */
