// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libzxsocket: Zircon's socket calls on top of the zxsocket ioctls.
 *
 * A zx_handle_t is an fd.  Every call is a thin wrapper around one ioctl
 * of <linux/zxsocket.h>: check what must be checked before the handle,
 * fill the request, issue it, and turn errno back into a zx_status_t.
 * Data calls take no lock and touch no shared state; only the lazily
 * opened device fd (for create and wait_many) is shared, through one
 * atomic int.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/zxsocket.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#define ZXS_EXPORT __attribute__((visibility("default")))

/* ------------------------------------------------------------------ ABI */

/*
 * The zircon headers must stay self-contained (programs only get
 * -I lib/include), so they repeat the uapi numbers.  Pin every one of
 * them here: a mismatch breaks the library build, not a user's program.
 */
#define ZXS_SAME(zx, zxs) _Static_assert((zx) == (zxs), #zx " != " #zxs)

ZXS_SAME(ZX_SOCKET_STREAM, ZXS_STREAM);
ZXS_SAME(ZX_SOCKET_DATAGRAM, ZXS_DATAGRAM);
ZXS_SAME(ZX_SOCKET_HAS_CONTROL, ZXS_HAS_CONTROL);
ZXS_SAME(ZX_SOCKET_HAS_ACCEPT, ZXS_HAS_ACCEPT);
ZXS_SAME(ZX_SOCKET_CONTROL, ZXS_CONTROL);
ZXS_SAME(ZX_SOCKET_PEEK, ZXS_PEEK);
ZXS_SAME(ZX_SOCKET_SHUTDOWN_WRITE, ZXS_SHUTDOWN_WRITE);
ZXS_SAME(ZX_SOCKET_SHUTDOWN_READ, ZXS_SHUTDOWN_READ);
ZXS_SAME(ZX_SOCKET_DISPOSITION_WRITE_DISABLED, ZXS_DISPOSITION_WRITE_DISABLED);
ZXS_SAME(ZX_SOCKET_DISPOSITION_WRITE_ENABLED, ZXS_DISPOSITION_WRITE_ENABLED);

ZXS_SAME(ZX_SOCKET_READABLE, ZXS_SIGNAL_READABLE);
ZXS_SAME(ZX_SOCKET_WRITABLE, ZXS_SIGNAL_WRITABLE);
ZXS_SAME(ZX_SOCKET_PEER_CLOSED, ZXS_SIGNAL_PEER_CLOSED);
ZXS_SAME(ZX_SOCKET_PEER_WRITE_DISABLED, ZXS_SIGNAL_PEER_WRITE_DISABLED);
ZXS_SAME(ZX_SOCKET_READ_DISABLED, ZXS_SIGNAL_PEER_WRITE_DISABLED);
ZXS_SAME(ZX_SOCKET_WRITE_DISABLED, ZXS_SIGNAL_WRITE_DISABLED);
ZXS_SAME(ZX_SOCKET_CONTROL_READABLE, ZXS_SIGNAL_CONTROL_READABLE);
ZXS_SAME(ZX_SOCKET_CONTROL_WRITABLE, ZXS_SIGNAL_CONTROL_WRITABLE);
ZXS_SAME(ZX_SOCKET_ACCEPT, ZXS_SIGNAL_ACCEPT);
ZXS_SAME(ZX_SOCKET_SHARE, ZXS_SIGNAL_SHARE);
ZXS_SAME(ZX_SOCKET_READ_THRESHOLD, ZXS_SIGNAL_READ_THRESHOLD);
ZXS_SAME(ZX_SOCKET_WRITE_THRESHOLD, ZXS_SIGNAL_WRITE_THRESHOLD);
ZXS_SAME(ZX_SIGNAL_HANDLE_CLOSED, ZXS_SIGNAL_HANDLE_CLOSED);
ZXS_SAME(ZX_USER_SIGNAL_ALL, ZXS_SIGNAL_USER_ALL);

ZXS_SAME(ZX_RIGHT_DUPLICATE, ZXS_RIGHT_DUPLICATE);
ZXS_SAME(ZX_RIGHT_TRANSFER, ZXS_RIGHT_TRANSFER);
ZXS_SAME(ZX_RIGHT_READ, ZXS_RIGHT_READ);
ZXS_SAME(ZX_RIGHT_WRITE, ZXS_RIGHT_WRITE);
ZXS_SAME(ZX_RIGHT_GET_PROPERTY, ZXS_RIGHT_GET_PROPERTY);
ZXS_SAME(ZX_RIGHT_SET_PROPERTY, ZXS_RIGHT_SET_PROPERTY);
ZXS_SAME(ZX_RIGHT_SIGNAL, ZXS_RIGHT_SIGNAL);
ZXS_SAME(ZX_RIGHT_SIGNAL_PEER, ZXS_RIGHT_SIGNAL_PEER);
ZXS_SAME(ZX_RIGHT_WAIT, ZXS_RIGHT_WAIT);
ZXS_SAME(ZX_RIGHT_INSPECT, ZXS_RIGHT_INSPECT);
ZXS_SAME(ZX_RIGHT_MANAGE_SOCKET, ZXS_RIGHT_MANAGE_SOCKET);
ZXS_SAME(ZX_RIGHT_SAME_RIGHTS, ZXS_RIGHT_SAME_RIGHTS);
ZXS_SAME(ZX_DEFAULT_SOCKET_RIGHTS, ZXS_DEFAULT_RIGHTS);

ZXS_SAME(ZX_INFO_HANDLE_BASIC, ZXS_INFO_HANDLE_BASIC);
ZXS_SAME(ZX_INFO_SOCKET, ZXS_INFO_SOCKET);
ZXS_SAME(ZX_OBJ_TYPE_SOCKET, ZXS_OBJ_TYPE_SOCKET);
ZXS_SAME(ZX_PROP_SOCKET_RX_THRESHOLD, ZXS_PROP_SOCKET_RX_THRESHOLD);
ZXS_SAME(ZX_PROP_SOCKET_TX_THRESHOLD, ZXS_PROP_SOCKET_TX_THRESHOLD);
ZXS_SAME(ZX_WAIT_MANY_MAX_ITEMS, ZXS_WAIT_MANY_MAX_ITEMS);
ZXS_SAME(ZX_TIME_INFINITE, ZXS_TIME_INFINITE);

/* The records are handed to the kernel as they are: same layout. */
#define ZXS_SAME_FIELD(zt, zf, kt, kf)					\
	_Static_assert(offsetof(zt, zf) == offsetof(struct kt, kf) &&	\
		       sizeof(((zt *)0)->zf) ==				\
		       sizeof(((struct kt *)0)->kf),			\
		       #zt "." #zf " != " #kt "." #kf)

_Static_assert(sizeof(zx_wait_item_t) == sizeof(struct zxs_wait_item),
	       "zx_wait_item_t size");
ZXS_SAME_FIELD(zx_wait_item_t, handle, zxs_wait_item, fd);
ZXS_SAME_FIELD(zx_wait_item_t, waitfor, zxs_wait_item, waitfor);
ZXS_SAME_FIELD(zx_wait_item_t, pending, zxs_wait_item, pending);

_Static_assert(sizeof(zx_info_handle_basic_t) ==
	       sizeof(struct zxs_info_handle_basic), "handle_basic size");
ZXS_SAME_FIELD(zx_info_handle_basic_t, koid, zxs_info_handle_basic, koid);
ZXS_SAME_FIELD(zx_info_handle_basic_t, rights, zxs_info_handle_basic, rights);
ZXS_SAME_FIELD(zx_info_handle_basic_t, type, zxs_info_handle_basic, type);
ZXS_SAME_FIELD(zx_info_handle_basic_t, related_koid,
	       zxs_info_handle_basic, related_koid);

_Static_assert(sizeof(zx_info_socket_t) == sizeof(struct zxs_info_socket),
	       "info_socket size");
ZXS_SAME_FIELD(zx_info_socket_t, options, zxs_info_socket, options);
ZXS_SAME_FIELD(zx_info_socket_t, rx_buf_max, zxs_info_socket, rx_buf_max);
ZXS_SAME_FIELD(zx_info_socket_t, rx_buf_size, zxs_info_socket, rx_buf_size);
ZXS_SAME_FIELD(zx_info_socket_t, rx_buf_available,
	       zxs_info_socket, rx_buf_available);
ZXS_SAME_FIELD(zx_info_socket_t, tx_buf_max, zxs_info_socket, tx_buf_max);
ZXS_SAME_FIELD(zx_info_socket_t, tx_buf_size, zxs_info_socket, tx_buf_size);

/* -------------------------------------------------------------- errors */

/*
 * The module's errno values are one-to-one with Zircon statuses (see the
 * table at the top of <linux/zxsocket.h>).  ENOTTY on an fd the caller
 * named means "not one of ours"; EPERM is not in the table but is what a
 * security module says when it vetoes an ioctl.  Anything else means the
 * library and the module disagree about something.
 */
static zx_status_t zxs_status(int err)
{
	switch (err) {
	case 0:
		return ZX_OK;
	case EINVAL:
	case EFAULT:
		return ZX_ERR_INVALID_ARGS;
	case EACCES:
	case EPERM:
		return ZX_ERR_ACCESS_DENIED;
	case EAGAIN:
		return ZX_ERR_SHOULD_WAIT;
	case EPIPE:
		return ZX_ERR_PEER_CLOSED;
	case EBADFD:
		return ZX_ERR_BAD_STATE;
	case ERANGE:
		return ZX_ERR_OUT_OF_RANGE;
	case ETIMEDOUT:
		return ZX_ERR_TIMED_OUT;
	case ENOBUFS:
		return ZX_ERR_BUFFER_TOO_SMALL;
	case EOPNOTSUPP:
		return ZX_ERR_NOT_SUPPORTED;
	case ENOMEM:
		return ZX_ERR_NO_MEMORY;
	case EMFILE:
	case ENFILE:
		return ZX_ERR_NO_RESOURCES;
	case EBADF:
		return ZX_ERR_BAD_HANDLE;
	case ENOTSOCK:
	case ENOTTY:
		return ZX_ERR_WRONG_TYPE;
	case ENOENT:
		return ZX_ERR_NOT_FOUND;
	default:
		return ZX_ERR_INTERNAL;
	}
}

/*
 * The device fd is ours, so ENOTTY there cannot mean "wrong type": it
 * means the loaded module does not know the request (an older ABI).
 */
static zx_status_t zxs_device_status(int err)
{
	return err == ENOTTY ? ZX_ERR_NOT_SUPPORTED : zxs_status(err);
}

/* -------------------------------------------------------------- ioctl */

/*
 * One ioctl; 0 or the errno.  EINTR is retried: the waits take absolute
 * deadlines and every other request either completes or has done nothing
 * when it is interrupted, so repeating it is exact, and Zircon callers do
 * not expect to see signals at all.
 */
static int zxs_ioctl(int fd, unsigned long request, void *arg)
{
	while (ioctl(fd, request, arg) < 0) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

/* Handles are fds; 0 and values that are no int are never valid. */
static bool zxs_fd(zx_handle_t handle, int *fd)
{
	if (handle == ZX_HANDLE_INVALID || handle > INT_MAX)
		return false;
	*fd = (int)handle;
	return true;
}

static uint64_t zxs_ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/*
 * fd 0 is ZX_HANDLE_INVALID, but the kernel hands it out when stdin is
 * closed.  Move such an fd to the lowest free number >= min, keeping its
 * close-on-exec flag (O_NONBLOCK lives in the shared open file).
 * Returns the fd to use, or -errno; in both cases @fd is closed if it
 * was moved or could not be.
 */
static int zxs_fd_move_up(int fd, int min)
{
	int flags, nfd, err;

	if (fd >= min)
		return fd;
	flags = fcntl(fd, F_GETFD);
	nfd = fcntl(fd, (flags < 0 || (flags & FD_CLOEXEC)) ?
		    F_DUPFD_CLOEXEC : F_DUPFD, min);
	err = errno;
	close(fd);
	return nfd < 0 ? -err : nfd;
}

/* ------------------------------------------------------------- device */

#define ZXS_DEV_UNTRIED	(-2)
#define ZXS_DEV_ABSENT	(-1)

/*
 * The device fd, or ZXS_DEV_UNTRIED / ZXS_DEV_ABSENT.  It only ever moves
 * from UNTRIED to one of the others, by compare-and-swap, so readers
 * need no lock and a race to open it just closes the loser's fd.
 */
static atomic_int zxs_dev = ZXS_DEV_UNTRIED;

/* Running out of fds or memory is the caller's problem of the moment. */
static bool zxs_open_error_is_transient(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

/* Say once, and only when asked, why there is no device. */
static void zxs_device_explain(int err)
{
	const char *debug = getenv("ZXSOCKET_DEBUG");
	const char *hint = "";

	if (!debug || !*debug)
		return;
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		hint = " (is the zxsocket module loaded?)";
	else if (err == EACCES || err == EPERM)
		hint = " (check the permissions of " ZXS_DEVICE_PATH ")";
	fprintf(stderr, "libzxsocket: cannot open %s: %s%s\n",
		ZXS_DEVICE_PATH, strerror(err), hint);
}

/* Publish @fd (or ZXS_DEV_ABSENT) unless another thread got there first. */
static int zxs_device_publish(int fd)
{
	int expected = ZXS_DEV_UNTRIED;

	if (atomic_compare_exchange_strong(&zxs_dev, &expected, fd))
		return fd;
	if (fd >= 0)
		close(fd);
	return expected;
}

static int zxs_device_open(zx_status_t *status)
{
	int fd, err;

	do {
		fd = open(ZXS_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);

	if (fd < 0) {
		err = errno;
		if (zxs_open_error_is_transient(err)) {
			*status = zxs_status(err);
			return -1;
		}
		fd = zxs_device_publish(ZXS_DEV_ABSENT);
		if (fd == ZXS_DEV_ABSENT)
			zxs_device_explain(err);
	} else {
		/*
		 * Keep the hidden fd off 0-2: a program that later redirects
		 * its standard streams with dup2() would silently replace it.
		 * Failing to move it is harmless.
		 */
		int nfd = fd < 3 ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;

		if (nfd >= 0) {
			close(fd);
			fd = nfd;
		}
		fd = zxs_device_publish(fd);
	}
	if (fd < 0)
		*status = ZX_ERR_UNAVAILABLE;
	return fd;
}

/* The device fd, or -1 with *status set. */
static int zxs_device_fd(zx_status_t *status)
{
	int fd = atomic_load_explicit(&zxs_dev, memory_order_acquire);

	if (fd >= 0)
		return fd;
	if (fd == ZXS_DEV_ABSENT) {
		*status = ZX_ERR_UNAVAILABLE;
		return -1;
	}
	return zxs_device_open(status);
}

/* ------------------------------------------------------------ sockets */

ZXS_EXPORT zx_status_t zx_socket_create(uint32_t options, zx_handle_t *out0,
					zx_handle_t *out1)
{
	struct zxs_create req = { .options = options };
	zx_status_t status;
	int dev, err, i;

	/* Argument errors come first, even without the module. */
	if (options & ~ZX_SOCKET_CREATE_MASK)
		return ZX_ERR_INVALID_ARGS;
	if (!out0 || !out1)
		return ZX_ERR_INVALID_ARGS;

	dev = zxs_device_fd(&status);
	if (dev < 0)
		return status;
	err = zxs_ioctl(dev, ZXS_IOC_CREATE, &req);
	if (err)
		return zxs_device_status(err);

	/* At most one of the two can be 0; the other is then >= 1. */
	for (i = 0; i < 2; i++) {
		int fd = zxs_fd_move_up(req.fds[i], 1);

		if (fd < 0) {
			close(req.fds[!i]);
			return zxs_status(-fd);
		}
		req.fds[i] = fd;
	}
	*out0 = (zx_handle_t)req.fds[0];
	*out1 = (zx_handle_t)req.fds[1];
	return ZX_OK;
}

static zx_status_t zxs_io(zx_handle_t handle, unsigned long request,
			  uint32_t options, const void *buffer, size_t len,
			  size_t *actual)
{
	struct zxs_io io = {
		.options = options,
		.buf = zxs_ptr(buffer),
		.len = len,
	};
	int fd, err;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	err = zxs_ioctl(fd, request, &io);
	if (err)
		return zxs_status(err);
	if (actual)
		*actual = (size_t)io.actual;
	return ZX_OK;
}

ZXS_EXPORT zx_status_t zx_socket_write(zx_handle_t handle, uint32_t options,
				       const void *buffer, size_t buffer_size,
				       size_t *actual)
{
	if (buffer_size && !buffer)
		return ZX_ERR_INVALID_ARGS;
	if (options & ~ZX_SOCKET_CONTROL)
		return ZX_ERR_INVALID_ARGS;
	return zxs_io(handle, ZXS_IOC_WRITE, options, buffer, buffer_size,
		      actual);
}

ZXS_EXPORT zx_status_t zx_socket_read(zx_handle_t handle, uint32_t options,
				      void *buffer, size_t buffer_size,
				      size_t *actual)
{
	if (buffer_size && !buffer)
		return ZX_ERR_INVALID_ARGS;
	if (options & ~(ZX_SOCKET_PEEK | ZX_SOCKET_CONTROL))
		return ZX_ERR_INVALID_ARGS;
	return zxs_io(handle, ZXS_IOC_READ, options, buffer, buffer_size,
		      actual);
}

static bool zxs_disposition_valid(uint32_t d)
{
	return d == 0 || d == ZX_SOCKET_DISPOSITION_WRITE_DISABLED ||
	       d == ZX_SOCKET_DISPOSITION_WRITE_ENABLED;
}

ZXS_EXPORT zx_status_t zx_socket_set_disposition(zx_handle_t handle,
						 uint32_t disposition,
						 uint32_t disposition_peer)
{
	struct zxs_disposition req = {
		.disposition = disposition,
		.disposition_peer = disposition_peer,
	};
	int fd;

	if (!zxs_disposition_valid(disposition) ||
	    !zxs_disposition_valid(disposition_peer))
		return ZX_ERR_INVALID_ARGS;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_SET_DISPOSITION, &req));
}

ZXS_EXPORT zx_status_t zx_socket_shutdown(zx_handle_t handle, uint32_t options)
{
	struct zxs_shutdown req = { .options = options };
	int fd;

	if (options & ~ZX_SOCKET_SHUTDOWN_MASK)
		return ZX_ERR_INVALID_ARGS;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_SHUTDOWN, &req));
}

/* ------------------------------------------------------------ objects */

ZXS_EXPORT zx_status_t zx_object_wait_one(zx_handle_t handle,
					  zx_signals_t signals,
					  zx_time_t deadline,
					  zx_signals_t *observed)
{
	struct zxs_wait_one req = {
		.signals = signals,
		.deadline = deadline,
	};
	int fd, err;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	err = zxs_ioctl(fd, ZXS_IOC_WAIT_ONE, &req);
	/* A timeout still reports what was asserted. */
	if ((err == 0 || err == ETIMEDOUT) && observed)
		*observed = req.observed;
	return zxs_status(err);
}

/*
 * The kernel reports a non-endpoint item as ENOTSOCK, but an item naming
 * ZX_HANDLE_INVALID (fd 0, perhaps open as stdin) is a bad handle, and so
 * is a value above INT_MAX.  The kernel has just read the array, so it is
 * safe to look at it; reading it before the ioctl could fault instead of
 * returning ZX_ERR_INVALID_ARGS.
 */
static zx_status_t zxs_wait_many_wrong_type(const zx_wait_item_t *items,
					    size_t count)
{
	size_t i;
	int fd;

	for (i = 0; i < count; i++) {
		if (!zxs_fd(items[i].handle, &fd))
			return ZX_ERR_BAD_HANDLE;
	}
	return ZX_ERR_WRONG_TYPE;
}

ZXS_EXPORT zx_status_t zx_object_wait_many(zx_wait_item_t *items, size_t count,
					   zx_time_t deadline)
{
	struct zxs_wait_many req = {
		.items = zxs_ptr(items),
		.deadline = deadline,
	};
	zx_status_t status;
	int dev, err;

	if (count > ZX_WAIT_MANY_MAX_ITEMS)
		return ZX_ERR_OUT_OF_RANGE;
	req.count = (uint32_t)count;

	dev = zxs_device_fd(&status);
	if (dev < 0)
		return status;
	err = zxs_ioctl(dev, ZXS_IOC_WAIT_MANY, &req);
	if (err == ENOTSOCK)
		return zxs_wait_many_wrong_type(items, count);
	return zxs_device_status(err);
}

static zx_status_t zxs_signal(zx_handle_t handle, uint32_t clear_mask,
			      uint32_t set_mask, uint32_t flags)
{
	struct zxs_signal req = {
		.clear = clear_mask,
		.set = set_mask,
		.flags = flags,
	};
	int fd;

	if ((clear_mask | set_mask) & ~ZX_USER_SIGNAL_ALL)
		return ZX_ERR_INVALID_ARGS;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_SIGNAL, &req));
}

ZXS_EXPORT zx_status_t zx_object_signal(zx_handle_t handle,
					uint32_t clear_mask, uint32_t set_mask)
{
	return zxs_signal(handle, clear_mask, set_mask, 0);
}

ZXS_EXPORT zx_status_t zx_object_signal_peer(zx_handle_t handle,
					     uint32_t clear_mask,
					     uint32_t set_mask)
{
	return zxs_signal(handle, clear_mask, set_mask, ZXS_SIGNAL_TO_PEER);
}

ZXS_EXPORT zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic,
					  void *buffer, size_t buffer_size,
					  size_t *actual, size_t *avail)
{
	struct zxs_info req = {
		.topic = topic,
		.buffer = zxs_ptr(buffer),
		.buffer_size = buffer_size,
	};
	int fd, err;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;

	/* Any open fd is a valid handle; the module need not be asked. */
	if (topic == ZX_INFO_HANDLE_VALID)
		return fcntl(fd, F_GETFD) < 0 ? ZX_ERR_BAD_HANDLE : ZX_OK;

	err = zxs_ioctl(fd, ZXS_IOC_GET_INFO, &req);
	/* A short buffer still learns how many records there are. */
	if (err == 0 || err == ENOBUFS) {
		if (actual)
			*actual = (size_t)req.actual;
		if (avail)
			*avail = (size_t)req.avail;
	}
	return zxs_status(err);
}

/*
 * The ABI counts a size_t as 8 bytes whatever the caller's word size,
 * so that the module's "too small" check is the same for everyone.
 */
static uint32_t zxs_property_size(size_t value_size)
{
	return value_size >= sizeof(size_t) ? 8 : (uint32_t)value_size;
}

ZXS_EXPORT zx_status_t zx_object_get_property(zx_handle_t handle,
					      uint32_t property, void *value,
					      size_t value_size)
{
	struct zxs_property req = {
		.property = property,
		.size = zxs_property_size(value_size),
	};
	size_t v;
	int fd, err;

	if (!value)
		return ZX_ERR_INVALID_ARGS;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	err = zxs_ioctl(fd, ZXS_IOC_GET_PROPERTY, &req);
	if (err)
		return zxs_status(err);
	if (value_size < sizeof(v))
		return ZX_ERR_BUFFER_TOO_SMALL;
	v = (size_t)req.value;
	memcpy(value, &v, sizeof(v));
	return ZX_OK;
}

ZXS_EXPORT zx_status_t zx_object_set_property(zx_handle_t handle,
					      uint32_t property,
					      const void *value,
					      size_t value_size)
{
	struct zxs_property req = {
		.property = property,
		.size = zxs_property_size(value_size),
	};
	size_t v;
	int fd;

	if (!value)
		return ZX_ERR_INVALID_ARGS;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	/* Never read past a buffer that the module will reject anyway. */
	if (value_size >= sizeof(v)) {
		memcpy(&v, value, sizeof(v));
		req.value = v;
	}
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_SET_PROPERTY, &req));
}

/* ------------------------------------------------------------ handles */

ZXS_EXPORT zx_status_t zx_handle_close(zx_handle_t handle)
{
	int fd;

	if (handle == ZX_HANDLE_INVALID)
		return ZX_OK;
	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	/*
	 * Linux releases the fd even when close() reports EINTR or EIO, so
	 * only EBADF means the handle was not closed; never retry.
	 */
	if (close(fd) < 0 && errno == EBADF)
		return ZX_ERR_BAD_HANDLE;
	return ZX_OK;
}

ZXS_EXPORT zx_status_t zx_handle_close_many(const zx_handle_t *handles,
					    size_t num_handles)
{
	zx_status_t status = ZX_OK;
	size_t i;

	if (num_handles && !handles)
		return ZX_ERR_INVALID_ARGS;
	for (i = 0; i < num_handles; i++) {
		if (zx_handle_close(handles[i]) != ZX_OK)
			status = ZX_ERR_BAD_HANDLE;
	}
	return status;
}

/*
 * Hand a new fd from the kernel to the caller as a handle: never as 0,
 * and closed again if @out is NULL.
 */
static zx_status_t zxs_publish(int kfd, zx_handle_t *out)
{
	int nfd = zxs_fd_move_up(kfd, 1);

	if (nfd < 0)
		return zxs_status(-nfd);
	if (!out) {
		close(nfd);
		return ZX_ERR_INVALID_ARGS;
	}
	*out = (zx_handle_t)nfd;
	return ZX_OK;
}

/*
 * ZXS_IOC_DUPLICATE, then publish the new fd.  A NULL @out is only
 * detected after the kernel has checked everything else, as Zircon only
 * notices a bad out pointer when it copies the result out; the new fd is
 * then closed again.
 */
static zx_status_t zxs_duplicate(int fd, zx_rights_t rights, uint32_t flags,
				 zx_handle_t *out)
{
	struct zxs_duplicate req = { .rights = rights, .flags = flags };
	int err;

	err = zxs_ioctl(fd, ZXS_IOC_DUPLICATE, &req);
	if (err)
		return zxs_status(err);
	return zxs_publish(req.fd, out);
}

ZXS_EXPORT zx_status_t zx_handle_duplicate(zx_handle_t handle,
					   zx_rights_t rights,
					   zx_handle_t *out)
{
	int fd;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	return zxs_duplicate(fd, rights, 0, out);
}

ZXS_EXPORT zx_status_t zx_handle_replace(zx_handle_t handle,
					 zx_rights_t rights, zx_handle_t *out)
{
	zx_status_t status;
	int fd;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	status = zxs_duplicate(fd, rights, ZXS_DUP_REPLACE, out);
	/*
	 * Replace consumes the handle whatever happens, as in Zircon; but an
	 * fd that was not open, or is not an endpoint, was never a handle
	 * the caller gave us, so leave it alone.
	 */
	if (status != ZX_ERR_BAD_HANDLE && status != ZX_ERR_WRONG_TYPE)
		close(fd);
	return status;
}

/* ---------------------------------------------------- share / accept */

/*
 * zx_socket_share consumes @socket_to_share on success and on every
 * failure, as Zircon does: the kernel keeps its own reference to the open
 * file when the share succeeds, so the caller's fd is closed either way.
 */
ZXS_EXPORT zx_status_t zx_socket_share(zx_handle_t handle,
				       zx_handle_t socket_to_share)
{
	struct zxs_share req = { .fd = -1 };
	zx_status_t status;
	int fd, sfd;

	if (!zxs_fd(socket_to_share, &sfd)) {
		status = ZX_ERR_BAD_HANDLE;
		sfd = -1;
	} else if (!zxs_fd(handle, &fd)) {
		status = ZX_ERR_BAD_HANDLE;
	} else {
		req.fd = sfd;
		status = zxs_status(zxs_ioctl(fd, ZXS_IOC_SHARE, &req));
	}
	if (sfd >= 0)
		close(sfd);
	return status;
}

ZXS_EXPORT zx_status_t zx_socket_accept(zx_handle_t handle, zx_handle_t *out)
{
	struct zxs_accept req = { .flags = 0 };
	int fd, err;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	err = zxs_ioctl(fd, ZXS_IOC_ACCEPT, &req);
	if (err)
		return zxs_status(err);
	return zxs_publish(req.fd, out);
}

/* --------------------------------------------------------------- ports */

_Static_assert(sizeof(zx_port_packet_t) == sizeof(struct zxs_port_packet),
	       "port packet size");
ZXS_SAME_FIELD(zx_port_packet_t, key, zxs_port_packet, key);
ZXS_SAME_FIELD(zx_port_packet_t, type, zxs_port_packet, type);
ZXS_SAME_FIELD(zx_port_packet_t, status, zxs_port_packet, status);
ZXS_SAME_FIELD(zx_port_packet_t, user, zxs_port_packet, payload);
_Static_assert(ZX_DEFAULT_PORT_RIGHTS == ZXS_DEFAULT_PORT_RIGHTS,
	       "port rights");

/* An fd for a request struct: invalid handles become -1 (EBADF). */
static int zxs_req_fd(zx_handle_t handle)
{
	int fd;

	return zxs_fd(handle, &fd) ? fd : -1;
}

ZXS_EXPORT zx_status_t zx_port_create(uint32_t options, zx_handle_t *out)
{
	struct zxs_port_create req = { .options = options };
	zx_status_t status;
	int dev, err;

	if (options & ~ZX_PORT_BIND_TO_INTERRUPT)
		return ZX_ERR_INVALID_ARGS;
	if (!out)
		return ZX_ERR_INVALID_ARGS;
	dev = zxs_device_fd(&status);
	if (dev < 0)
		return status;
	err = zxs_ioctl(dev, ZXS_IOC_PORT_CREATE, &req);
	if (err)
		return zxs_device_status(err);
	return zxs_publish(req.fd, out);
}

ZXS_EXPORT zx_status_t zx_port_queue(zx_handle_t handle,
				     const zx_port_packet_t *packet)
{
	int fd;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	/* Zircon checks the handle first, then reads the packet. */
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_PORT_QUEUE, (void *)packet));
}

ZXS_EXPORT zx_status_t zx_port_wait(zx_handle_t handle, zx_time_t deadline,
				    zx_port_packet_t *packet)
{
	struct zxs_port_wait req = {
		.deadline = deadline,
		.packet = zxs_ptr(packet),
	};
	int fd;

	if (!zxs_fd(handle, &fd))
		return ZX_ERR_BAD_HANDLE;
	return zxs_status(zxs_ioctl(fd, ZXS_IOC_PORT_WAIT, &req));
}

ZXS_EXPORT zx_status_t zx_port_cancel(zx_handle_t handle, zx_handle_t source,
				      uint64_t key)
{
	struct zxs_port_cancel req = {
		.port = zxs_req_fd(handle),
		.fd = zxs_req_fd(source),
		.key = key,
	};
	zx_status_t status;
	int dev;

	dev = zxs_device_fd(&status);
	if (dev < 0)
		return status;
	return zxs_device_status(zxs_ioctl(dev, ZXS_IOC_PORT_CANCEL, &req));
}

ZXS_EXPORT zx_status_t zx_object_wait_async(zx_handle_t handle,
					    zx_handle_t port, uint64_t key,
					    zx_signals_t signals,
					    uint32_t options)
{
	struct zxs_wait_async req = {
		.fd = zxs_req_fd(handle),
		.port = zxs_req_fd(port),
		.key = key,
		.signals = signals,
		.options = options,
	};
	zx_status_t status;
	int dev;

	dev = zxs_device_fd(&status);
	if (dev < 0)
		return status;
	return zxs_device_status(zxs_ioctl(dev, ZXS_IOC_WAIT_ASYNC, &req));
}

/* ------------------------------------------------------------ Magenta */

/*
 * Magenta's mx_socket_write: the same call, plus MX_SOCKET_HALF_CLOSE
 * (options 1, size 0), which only Magenta code can ask for.
 */
ZXS_EXPORT zx_status_t mx_socket_write(zx_handle_t handle, uint32_t options,
				       const void *buffer, size_t size,
				       size_t *actual)
{
	if (size && !buffer)
		return ZX_ERR_INVALID_ARGS;
	if (options != 0 && options != ZXS_HALF_CLOSE)
		return ZX_ERR_INVALID_ARGS;
	if (options == ZXS_HALF_CLOSE && size)
		return ZX_ERR_INVALID_ARGS;
	return zxs_io(handle, ZXS_IOC_WRITE, options, buffer, size, actual);
}
