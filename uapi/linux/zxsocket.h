/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * zxsocket: Zircon sockets on Linux, the ioctl ABI.
 *
 * Opening /dev/zxsocket gives a "device fd".  ZXS_IOC_CREATE on it makes a
 * socket pair and returns two "endpoint fds" (anon-inode files named
 * "[zxsocket]").  Every other socket call is an ioctl on an endpoint fd,
 * except ZXS_IOC_WAIT_MANY, which is on the device fd because it names many
 * endpoints.
 *
 * Each endpoint fd carries a Zircon rights mask (ZXS_RIGHT_*).  dup(),
 * fork() and SCM_RIGHTS share the open file and so its rights;
 * ZXS_IOC_DUPLICATE makes a new open file with a subset of them.  The
 * file's access mode follows the rights: an fd without ZXS_RIGHT_READ is
 * not open for read(2) (EBADF), one without ZXS_RIGHT_WRITE not for
 * write(2).
 *
 * Errors.  Every ioctl returns 0 on success or -1 with errno set.  errno
 * values that mean a Zircon status are one-to-one, so a library can map
 * them back without loss:
 *
 *   EINVAL      ZX_ERR_INVALID_ARGS   (also: unknown flag, reserved field != 0)
 *   EFAULT      ZX_ERR_INVALID_ARGS   (the argument struct itself is unreadable)
 *   EACCES      ZX_ERR_ACCESS_DENIED  (the fd lacks a right the call needs)
 *   EAGAIN      ZX_ERR_SHOULD_WAIT
 *   EPIPE       ZX_ERR_PEER_CLOSED
 *   EBADFD      ZX_ERR_BAD_STATE
 *   ERANGE      ZX_ERR_OUT_OF_RANGE
 *   ETIMEDOUT   ZX_ERR_TIMED_OUT
 *   ENOBUFS     ZX_ERR_BUFFER_TOO_SMALL
 *   EOPNOTSUPP  ZX_ERR_NOT_SUPPORTED
 *   ENOMEM      ZX_ERR_NO_MEMORY
 *   EMFILE      ZX_ERR_NO_RESOURCES   (no free fd)
 *   EBADF       ZX_ERR_BAD_HANDLE     (an fd named in a struct is not open)
 *   ENOTSOCK    ZX_ERR_WRONG_TYPE     (an fd named in a struct is no endpoint)
 *   ENOENT      ZX_ERR_NOT_FOUND      (ZXS_IOC_PORT_CANCEL matched nothing)
 *   ENOTTY      unknown ioctl; on a foreign fd, ZX_ERR_WRONG_TYPE
 *   EINTR       a blocking call was interrupted by a signal; waits take
 *               absolute deadlines, so repeating the call loses nothing
 *
 * Struct layout: fixed-width fields, no implicit padding, user pointers as
 * __aligned_u64.  Every field named "reserved" must be zero on input and is
 * zero on output.
 */
#ifndef _UAPI_LINUX_ZXSOCKET_H
#define _UAPI_LINUX_ZXSOCKET_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define ZXS_DEVICE_PATH		"/dev/zxsocket"
#define ZXS_IOC_MAGIC		0xBC

/* Socket options at creation (zx_socket_create). */
#define ZXS_STREAM		0x0u
#define ZXS_DATAGRAM		(1u << 0)
#define ZXS_HAS_CONTROL		(1u << 1)
#define ZXS_HAS_ACCEPT		(1u << 2)

/* Read/write options. */
#define ZXS_HALF_CLOSE		(1u << 0)	/* Magenta's MX_SOCKET_HALF_CLOSE */
#define ZXS_CONTROL		(1u << 2)
#define ZXS_PEEK		(1u << 3)

/* Shutdown options. */
#define ZXS_SHUTDOWN_WRITE	(1u << 0)
#define ZXS_SHUTDOWN_READ	(1u << 1)

/* Dispositions. */
#define ZXS_DISPOSITION_WRITE_DISABLED	(1u << 0)
#define ZXS_DISPOSITION_WRITE_ENABLED	(1u << 1)

/* Signals. */
#define ZXS_SIGNAL_READABLE		(1u << 0)
#define ZXS_SIGNAL_WRITABLE		(1u << 1)
#define ZXS_SIGNAL_PEER_CLOSED		(1u << 2)
#define ZXS_SIGNAL_PEER_WRITE_DISABLED	(1u << 4)
#define ZXS_SIGNAL_WRITE_DISABLED	(1u << 5)
#define ZXS_SIGNAL_CONTROL_READABLE	(1u << 6)
#define ZXS_SIGNAL_CONTROL_WRITABLE	(1u << 7)
#define ZXS_SIGNAL_ACCEPT		(1u << 8)
#define ZXS_SIGNAL_SHARE		(1u << 9)
#define ZXS_SIGNAL_READ_THRESHOLD	(1u << 10)
#define ZXS_SIGNAL_WRITE_THRESHOLD	(1u << 11)
#define ZXS_SIGNAL_HANDLE_CLOSED	(1u << 23)
#define ZXS_SIGNAL_USER_ALL		0xff000000u

/* Rights. */
#define ZXS_RIGHT_DUPLICATE	(1u << 0)
#define ZXS_RIGHT_TRANSFER	(1u << 1)
#define ZXS_RIGHT_READ		(1u << 2)
#define ZXS_RIGHT_WRITE		(1u << 3)
#define ZXS_RIGHT_GET_PROPERTY	(1u << 6)
#define ZXS_RIGHT_SET_PROPERTY	(1u << 7)
#define ZXS_RIGHT_SIGNAL	(1u << 12)
#define ZXS_RIGHT_SIGNAL_PEER	(1u << 13)
#define ZXS_RIGHT_WAIT		(1u << 14)
#define ZXS_RIGHT_INSPECT	(1u << 15)
#define ZXS_RIGHT_MANAGE_SOCKET	(1u << 20)
#define ZXS_RIGHT_SAME_RIGHTS	(1u << 31)
#define ZXS_DEFAULT_RIGHTS	0x0010f0cfu

/* Info topics and the records they return. */
#define ZXS_INFO_HANDLE_BASIC	2u
#define ZXS_INFO_SOCKET		22u
#define ZXS_OBJ_TYPE_SOCKET	14u

/* Same layout as Zircon's zx_info_handle_basic_t (32 bytes). */
struct zxs_info_handle_basic {
	__aligned_u64 koid;
	__u32 rights;
	__u32 type;
	__aligned_u64 related_koid;
	__u32 reserved;
	__u8 padding[4];
};

/* Same layout as Zircon's zx_info_socket_t (48 bytes). */
struct zxs_info_socket {
	__u32 options;
	__u8 padding[4];
	__aligned_u64 rx_buf_max;
	__aligned_u64 rx_buf_size;
	__aligned_u64 rx_buf_available;
	__aligned_u64 tx_buf_max;
	__aligned_u64 tx_buf_size;
};

/* Properties. */
#define ZXS_PROP_SOCKET_RX_THRESHOLD	12u
#define ZXS_PROP_SOCKET_TX_THRESHOLD	13u

/* Maximum items in one ZXS_IOC_WAIT_MANY. */
#define ZXS_WAIT_MANY_MAX_ITEMS	64u

/* Deadline meaning "never" (Zircon's ZX_TIME_INFINITE). */
#define ZXS_TIME_INFINITE	0x7fffffffffffffffLL

/* Largest control message (HAS_CONTROL sockets). */
#define ZXS_CONTROL_MAX		1024u

/**
 * struct zxs_create - ZXS_IOC_CREATE, on the device fd.
 * @options:	ZXS_STREAM or ZXS_DATAGRAM, optionally | ZXS_HAS_CONTROL and
 *		| ZXS_HAS_ACCEPT.  Anything else: EINVAL.
 * @flags:	ZXS_FD_NONBLOCK makes both fds O_NONBLOCK (for read(2) and
 *		write(2); ioctls never block except the waits);
 *		ZXS_FD_NO_CLOEXEC leaves out O_CLOEXEC, which is the default.
 * @fds:	out: the two endpoint fds, each with ZXS_DEFAULT_RIGHTS.
 *
 * Errors: EINVAL (options, flags), EMFILE/ENFILE (no fd), ENOMEM, EFAULT.
 */
struct zxs_create {
	__u32 options;
	__u32 flags;
	__s32 fds[2];
};

#define ZXS_FD_NONBLOCK		(1u << 0)
#define ZXS_FD_NO_CLOEXEC	(1u << 1)

/**
 * struct zxs_io - ZXS_IOC_WRITE and ZXS_IOC_READ, on an endpoint fd.
 * @options:	write: 0, ZXS_CONTROL or ZXS_HALF_CLOSE; read: a subset of
 *		ZXS_PEEK | ZXS_CONTROL.  Anything else: EINVAL.
 * @reserved:	must be 0.
 * @buf:	user buffer; may be 0 only when @len is 0.
 * @len:	bytes to write, or room to read into.
 * @actual:	out: bytes written or read.
 *
 * Write errors, in order: EINVAL (@buf 0 with @len > 0, options),
 * EACCES (no ZXS_RIGHT_WRITE), EPIPE (peer gone), EBADFD (write disabled),
 * EAGAIN (queue full), ERANGE (datagram larger than capacity), EAGAIN
 * (datagram larger than free space), EINVAL (@buf unreadable: nothing is
 * queued), ENOMEM.
 * A stream write may be short; a datagram write never is.
 *
 * Read errors, in order: EINVAL (@buf 0 with @len > 0, options), EACCES
 * (no ZXS_RIGHT_READ), then on an empty queue EPIPE (peer gone), EBADFD
 * (reading disabled) or EAGAIN; EINVAL (@buf unwritable: a stream read
 * consumes nothing, a datagram read drops that datagram, a peek drops
 * nothing).  A datagram read returns one datagram, truncated to @len.
 *
 * ZXS_CONTROL (HAS_CONTROL sockets) moves one message of 1..1024 bytes
 * through a one-deep slot per direction.  Write errors, in order: EBADFD
 * (no HAS_CONTROL), EINVAL (@len 0), ERANGE (@len > 1024), EPIPE (peer
 * gone), EAGAIN (slot full).  Read: EBADFD (no HAS_CONTROL), EAGAIN
 * (empty, even with the peer gone); a short @len truncates.  Dispositions
 * do not affect the control plane.
 *
 * ZXS_HALF_CLOSE (Magenta's MX_SOCKET_HALF_CLOSE) needs @len 0 (else
 * EINVAL): this end stops writing (later writes EBADFD, a second half-close
 * succeeds and does nothing) and the peer sees ZXS_SIGNAL_PEER_CLOSED, reads
 * what is queued, then gets EPIPE; the peer can still write back.
 */
struct zxs_io {
	__u32 options;
	__u32 reserved;
	__aligned_u64 buf;
	__aligned_u64 len;
	__aligned_u64 actual;
};

/**
 * struct zxs_disposition - ZXS_IOC_SET_DISPOSITION, on an endpoint fd.
 * @disposition:	for this end: 0, WRITE_DISABLED or WRITE_ENABLED.
 * @disposition_peer:	the same for the peer (ignored if it is gone).
 *
 * Errors: EINVAL (values, checked first), EACCES (no MANAGE_SOCKET),
 * EBADFD (re-enabling a writer whose earlier data is still queued).
 */
struct zxs_disposition {
	__u32 disposition;
	__u32 disposition_peer;
};

/**
 * struct zxs_shutdown - ZXS_IOC_SHUTDOWN, on an endpoint fd.
 * @options:	a subset of ZXS_SHUTDOWN_WRITE | ZXS_SHUTDOWN_READ.
 * @reserved:	must be 0.
 *
 * Errors: EINVAL (options), EACCES (no ZXS_RIGHT_WRITE).
 */
struct zxs_shutdown {
	__u32 options;
	__u32 reserved;
};

/**
 * struct zxs_signal - ZXS_IOC_SIGNAL, on an endpoint fd.
 * @clear:	user signals to clear (only ZXS_SIGNAL_USER_ALL bits).
 * @set:	user signals to set, after clearing.
 * @flags:	ZXS_SIGNAL_TO_PEER acts on the peer (zx_object_signal_peer).
 * @reserved:	must be 0.
 *
 * Errors: EINVAL (bits, flags), EACCES (no SIGNAL, or no SIGNAL_PEER),
 * EPIPE (ZXS_SIGNAL_TO_PEER and the peer is gone).
 */
struct zxs_signal {
	__u32 clear;
	__u32 set;
	__u32 flags;
	__u32 reserved;
};

#define ZXS_SIGNAL_TO_PEER	(1u << 0)

/**
 * struct zxs_wait_one - ZXS_IOC_WAIT_ONE, on an endpoint fd.
 * @signals:	wait until any of these is asserted.
 * @observed:	out: every asserted signal, on success and on ETIMEDOUT.
 * @deadline:	absolute CLOCK_MONOTONIC time in ns; ZXS_TIME_INFINITE never
 *		expires; a past deadline just samples the state.
 *
 * Errors: EACCES (no WAIT), ETIMEDOUT (@observed still written), EINTR.
 */
struct zxs_wait_one {
	__u32 signals;
	__u32 observed;
	__s64 deadline;
};

/*
 * One item of ZXS_IOC_WAIT_MANY; the same layout as zx_wait_item_t.
 */
struct zxs_wait_item {
	__u32 fd;
	__u32 waitfor;
	__u32 pending;
};

/**
 * struct zxs_wait_many - ZXS_IOC_WAIT_MANY, on the device fd.
 * @items:	user array of @count struct zxs_wait_item; each @pending is
 *		written with the item's asserted signals on success and on
 *		ETIMEDOUT.
 * @count:	0 to ZXS_WAIT_MANY_MAX_ITEMS (ERANGE above it); 0 just
 *		sleeps until @deadline.
 * @reserved:	must be 0.
 * @deadline:	as for ZXS_IOC_WAIT_ONE.
 *
 * Errors: ERANGE (@count), EFAULT (@items), EBADF (an item's fd is not
 * open), ENOTSOCK (an item's fd is no endpoint), EACCES (an item lacks
 * WAIT), ETIMEDOUT, EINTR.
 */
struct zxs_wait_many {
	__aligned_u64 items;
	__u32 count;
	__u32 reserved;
	__s64 deadline;
};

/**
 * struct zxs_info - ZXS_IOC_GET_INFO, on an endpoint fd.
 * @topic:	ZXS_INFO_HANDLE_BASIC (no right needed) or ZXS_INFO_SOCKET
 *		(needs INSPECT).
 * @reserved:	must be 0.
 * @buffer:	user buffer for the record.
 * @buffer_size: its size in bytes.
 * @actual:	out: records written (0 or 1).
 * @avail:	out: records available (1).
 *
 * Errors: EOPNOTSUPP (unknown topic), EACCES, ENOBUFS (@buffer_size too
 * small: @actual = 0 and @avail = 1 are still written back), EINVAL
 * (@buffer unwritable).
 */
struct zxs_info {
	__u32 topic;
	__u32 reserved;
	__aligned_u64 buffer;
	__aligned_u64 buffer_size;
	__aligned_u64 actual;
	__aligned_u64 avail;
};

/**
 * struct zxs_property - ZXS_IOC_GET_PROPERTY and ZXS_IOC_SET_PROPERTY.
 * @property:	ZXS_PROP_SOCKET_RX_THRESHOLD or ZXS_PROP_SOCKET_TX_THRESHOLD.
 * @size:	how many bytes the caller's value buffer holds, counting a
 *		size_t as 8 (a 32-bit caller passes 8 for a size_t buffer).
 * @value:	in (set) or out (get): the threshold in bytes; 0 disables.
 *
 * Errors, in order: EACCES (no GET_PROPERTY / SET_PROPERTY), EINVAL
 * (unknown property), ENOBUFS (@size < 8), EPIPE (setting the TX
 * threshold with the peer gone), EINVAL (a threshold above capacity).
 */
struct zxs_property {
	__u32 property;
	__u32 size;
	__aligned_u64 value;
};

/**
 * struct zxs_duplicate - ZXS_IOC_DUPLICATE, on an endpoint fd.
 * @rights:	ZXS_RIGHT_SAME_RIGHTS or a subset of the fd's rights.
 * @flags:	ZXS_DUP_REPLACE: the zx_handle_replace check (no DUPLICATE
 *		right needed; the caller closes the old fd);
 *		ZXS_FD_NONBLOCK / ZXS_FD_NO_CLOEXEC (values as for create)
 *		are accepted shifted by 8 (ZXS_DUP_FD_NONBLOCK,
 *		ZXS_DUP_FD_NO_CLOEXEC).
 * @fd:		out: the new fd, on the same endpoint.
 * @reserved:	must be 0.
 *
 * Errors: EACCES (no DUPLICATE, unless ZXS_DUP_REPLACE), EINVAL (rights
 * not a subset, flags), EMFILE, ENOMEM.
 */
struct zxs_duplicate {
	__u32 rights;
	__u32 flags;
	__s32 fd;
	__u32 reserved;
};

#define ZXS_DUP_REPLACE		(1u << 0)
#define ZXS_DUP_FD_NONBLOCK	(1u << 8)
#define ZXS_DUP_FD_NO_CLOEXEC	(1u << 9)

/**
 * struct zxs_share - ZXS_IOC_SHARE, on an endpoint fd (zx_socket_share).
 * @fd:		the endpoint to move into the peer's one-deep accept queue.
 * @reserved:	must be 0.
 *
 * The kernel takes its own reference to @fd's open file; the caller closes
 * @fd afterwards whatever the result (Zircon consumes the handle always).
 * Errors, in order: EINVAL (reserved), EACCES (this fd lacks WRITE), EBADF
 * (@fd not open), EACCES (@fd lacks TRANSFER), ENOTSOCK (@fd no endpoint),
 * EBADFD (@fd is HAS_ACCEPT, this endpoint, or its peer), EOPNOTSUPP (this
 * socket lacks HAS_ACCEPT), EPIPE (peer gone), EAGAIN (queue occupied).
 */
struct zxs_share {
	__s32 fd;
	__u32 reserved;
};

/**
 * struct zxs_accept - ZXS_IOC_ACCEPT, on an endpoint fd (zx_socket_accept).
 * @flags:	ZXS_FD_NONBLOCK / ZXS_FD_NO_CLOEXEC for the new fd.
 * @fd:		out: the accepted endpoint, with the rights it was shared with.
 *
 * Errors: EINVAL (flags), EACCES (no READ), EOPNOTSUPP (no HAS_ACCEPT),
 * EAGAIN (nothing queued), EMFILE.
 */
struct zxs_accept {
	__u32 flags;
	__s32 fd;
};

/* ------------------------------------------------------------------ ports */

/*
 * Ports (zx_port_*, zx_object_wait_async).  ZXS_IOC_PORT_CREATE on the
 * device fd returns a "port fd" (an anon-inode file named "[zxport]"),
 * readable for poll/epoll while packets are queued.  ZXS_IOC_PORT_QUEUE and
 * ZXS_IOC_PORT_WAIT are on the port fd; ZXS_IOC_WAIT_ASYNC and
 * ZXS_IOC_PORT_CANCEL name a port and an endpoint, so they are on the device
 * fd.  A port fd also takes ZXS_IOC_DUPLICATE and ZXS_IOC_GET_INFO
 * (ZXS_INFO_HANDLE_BASIC); the socket ioctls give ENOTSOCK on it and
 * ZXS_IOC_WAIT_ONE gives EOPNOTSUPP (a port has no signals).
 *
 * An async wait belongs to the open file it was registered through: when
 * that file is released (its last fd closed), its waits are cancelled, as
 * closing a Zircon handle cancels its waits.  Packets already queued stay
 * queued.  Closing the last fd of a port frees its packets and cancels every
 * wait registered on it.  Neither the port nor a queued packet holds a
 * reference to the socket: a dead socket's memory is never kept by a port.
 */

/* zx_port_create options. */
#define ZXS_PORT_BIND_TO_INTERRUPT	(1u << 0)	/* accepted; no interrupt binds */

/* zx_object_wait_async options. */
#define ZXS_WAIT_ASYNC_ONCE		0u
#define ZXS_WAIT_ASYNC_TIMESTAMP	(1u << 0)
#define ZXS_WAIT_ASYNC_EDGE		(1u << 1)
#define ZXS_WAIT_ASYNC_BOOT_TIMESTAMP	(1u << 2)

/* Packet types. */
#define ZXS_PKT_TYPE_USER		0u
#define ZXS_PKT_TYPE_SIGNAL_ONE		1u

#define ZXS_OBJ_TYPE_PORT		6u

/* Default rights of a new port: TRANSFER|DUPLICATE|INSPECT|READ|WRITE. */
#define ZXS_DEFAULT_PORT_RIGHTS	0x0000800fu

/* Queued user packets a port takes before ZXS_IOC_PORT_QUEUE says EAGAIN. */
#define ZXS_PORT_MAX_USER_PACKETS	4096u
/* Async waits one port can have pending before WAIT_ASYNC says EMFILE. */
#define ZXS_PORT_MAX_OBSERVERS		50000u

/*
 * struct zxs_port_packet - zx_port_packet_t, byte for byte (48 bytes).
 * For ZXS_PKT_TYPE_SIGNAL_ONE the payload is zx_packet_signal_t:
 * u32 trigger, u32 observed, u64 count (always 1), i64 timestamp (ns, if
 * asked for), u64 reserved.  For ZXS_PKT_TYPE_USER it is the user's 32 bytes.
 */
struct zxs_port_packet {
	__aligned_u64 key;
	__u32 type;
	__s32 status;
	__aligned_u64 payload[4];
};

/**
 * struct zxs_port_create - ZXS_IOC_PORT_CREATE, on the device fd.
 * @options:	0 or ZXS_PORT_BIND_TO_INTERRUPT (same port); else EINVAL.
 * @flags:	ZXS_FD_NONBLOCK / ZXS_FD_NO_CLOEXEC, as for ZXS_IOC_CREATE.
 * @fd:		out: the port fd, with ZXS_DEFAULT_PORT_RIGHTS.
 * @reserved:	must be 0.
 *
 * Errors: EINVAL (options, flags, reserved), EMFILE, ENOMEM.
 */
struct zxs_port_create {
	__u32 options;
	__u32 flags;
	__s32 fd;
	__u32 reserved;
};

/**
 * struct zxs_wait_async - ZXS_IOC_WAIT_ASYNC, on the device fd.
 * @fd:		the endpoint to watch.
 * @port:	the port that gets the packet.
 * @key:	the packet's key.
 * @signals:	trigger signals.
 * @options:	ZXS_WAIT_ASYNC_EDGE: only a rise of a trigger signal after
 *		this call queues the packet (else a trigger signal already
 *		asserted queues it at once); ZXS_WAIT_ASYNC_TIMESTAMP or
 *		ZXS_WAIT_ASYNC_BOOT_TIMESTAMP (not both): stamp the packet.
 *
 * One packet (ZXS_PKT_TYPE_SIGNAL_ONE) is queued when the wait triggers,
 * then the wait is over.  Errors, in Zircon's order: EINVAL (options),
 * EBADF (@port not open), ENOTSOCK (@port no port), EACCES (@port lacks
 * WRITE), EBADF (@fd not open), ENOTSOCK (@fd is no zxsocket object),
 * EACCES (@fd lacks WAIT; a port never has it), EMFILE
 * (ZXS_PORT_MAX_OBSERVERS pending), ENOMEM.
 */
struct zxs_wait_async {
	__s32 fd;
	__s32 port;
	__aligned_u64 key;
	__u32 signals;
	__u32 options;
};

/**
 * struct zxs_port_cancel - ZXS_IOC_PORT_CANCEL, on the device fd.
 * @port:	the port.
 * @fd:		the watched endpoint (the same open file the waits were
 *		registered through).
 * @key:	the key.
 *
 * Cancels the pending waits of @fd on @port with @key and removes their
 * queued packets.  Errors: EBADF / ENOTSOCK / EACCES (@port: not open, no
 * port, no WRITE), EBADF (@fd not open), ENOTSOCK (@fd is no zxsocket
 * object), EACCES (@fd lacks WAIT), ENOENT (nothing matched:
 * ZX_ERR_NOT_FOUND).
 */
struct zxs_port_cancel {
	__s32 port;
	__s32 fd;
	__aligned_u64 key;
};

/**
 * struct zxs_port_wait - ZXS_IOC_PORT_WAIT, on a port fd.
 * @deadline:	as for ZXS_IOC_WAIT_ONE.
 * @packet:	user pointer to a struct zxs_port_packet for the result.
 *
 * Takes the oldest packet.  Errors: EACCES (no READ), ETIMEDOUT, EINTR,
 * EFAULT (@packet: the packet is lost, as in Zircon).
 */
struct zxs_port_wait {
	__s64 deadline;
	__aligned_u64 packet;
};

/* On the device fd. */
#define ZXS_IOC_CREATE		_IOWR(ZXS_IOC_MAGIC, 0x00, struct zxs_create)
#define ZXS_IOC_WAIT_MANY	_IOW(ZXS_IOC_MAGIC, 0x01, struct zxs_wait_many)
#define ZXS_IOC_PORT_CREATE	_IOWR(ZXS_IOC_MAGIC, 0x02, struct zxs_port_create)
#define ZXS_IOC_WAIT_ASYNC	_IOW(ZXS_IOC_MAGIC, 0x03, struct zxs_wait_async)
#define ZXS_IOC_PORT_CANCEL	_IOW(ZXS_IOC_MAGIC, 0x04, struct zxs_port_cancel)

/* On an endpoint fd. */
#define ZXS_IOC_WRITE		_IOWR(ZXS_IOC_MAGIC, 0x10, struct zxs_io)
#define ZXS_IOC_READ		_IOWR(ZXS_IOC_MAGIC, 0x11, struct zxs_io)
#define ZXS_IOC_SET_DISPOSITION	_IOW(ZXS_IOC_MAGIC, 0x12, struct zxs_disposition)
#define ZXS_IOC_SHUTDOWN	_IOW(ZXS_IOC_MAGIC, 0x13, struct zxs_shutdown)
#define ZXS_IOC_SIGNAL		_IOW(ZXS_IOC_MAGIC, 0x14, struct zxs_signal)
#define ZXS_IOC_WAIT_ONE	_IOWR(ZXS_IOC_MAGIC, 0x15, struct zxs_wait_one)
#define ZXS_IOC_GET_INFO	_IOWR(ZXS_IOC_MAGIC, 0x16, struct zxs_info)
#define ZXS_IOC_GET_PROPERTY	_IOWR(ZXS_IOC_MAGIC, 0x17, struct zxs_property)
#define ZXS_IOC_SET_PROPERTY	_IOW(ZXS_IOC_MAGIC, 0x18, struct zxs_property)
#define ZXS_IOC_DUPLICATE	_IOWR(ZXS_IOC_MAGIC, 0x19, struct zxs_duplicate)
#define ZXS_IOC_SHARE		_IOW(ZXS_IOC_MAGIC, 0x1a, struct zxs_share)
#define ZXS_IOC_ACCEPT		_IOWR(ZXS_IOC_MAGIC, 0x1b, struct zxs_accept)

/* On a port fd (and ZXS_IOC_DUPLICATE, ZXS_IOC_GET_INFO). */
#define ZXS_IOC_PORT_QUEUE	_IOW(ZXS_IOC_MAGIC, 0x20, struct zxs_port_packet)
#define ZXS_IOC_PORT_WAIT	_IOW(ZXS_IOC_MAGIC, 0x21, struct zxs_port_wait)

#endif /* _UAPI_LINUX_ZXSOCKET_H */
