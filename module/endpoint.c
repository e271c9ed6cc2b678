// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket endpoints: socket pairs, their files, and every call on them.
 *
 * Locking (the whole order; there is no other lock in the module):
 *
 *   zxs_pair.lock (mutex)
 *	Protects everything in both endpoints of the pair except the
 *	waitqueues: queues, sizes, signals, thresholds, handle counts,
 *	disposition state and control messages.  Held across user copies,
 *	as pipes hold pipe->mutex, so a write is one copy straight into the
 *	queue.  Never held while taking another pair's lock, and never held
 *	across a wakeup: changes collect in a struct zxs_wake and are woken
 *	after the unlock (zxs_unlock_wake()).
 *
 *   zxs_port.lock (spinlock, port.c)
 *	Taken inside a pair lock when a wait_async observer fires or is
 *	cancelled; port.c explains how a dying port reaches its observers
 *	without the reverse order.
 *
 *   zxs_endpoint.wq.lock, zxs_port.wq.lock (waitqueue spinlocks)
 *	Taken inside the waitqueue API only.
 *
 * Readers that only need a snapshot of the signals (poll, waits, fdinfo)
 * read endpoint->signals with READ_ONCE() and no lock: a signal word is
 * always written whole, under the pair lock, with WRITE_ONCE().
 */
#include <linux/file.h>
#include <linux/memcontrol.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/splice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "zxsocket.h"

#define ZXS_CREATE_OPTIONS	(ZXS_DATAGRAM | ZXS_HAS_CONTROL | ZXS_HAS_ACCEPT)
#define ZXS_FD_FLAGS		(ZXS_FD_NONBLOCK | ZXS_FD_NO_CLOEXEC)
#define ZXS_DUP_FLAGS		(ZXS_DUP_REPLACE | ZXS_DUP_FD_NONBLOCK | \
				 ZXS_DUP_FD_NO_CLOEXEC)
#define ZXS_ALL_RIGHTS		(ZXS_DEFAULT_RIGHTS)

/* ------------------------------------------------------------------ koids */

/*
 * Koids are unique and never reused.  Each CPU takes them in batches from
 * one global counter, so creating sockets on many CPUs does not bounce a
 * cache line per socket.  Koid 0 is ZX_KOID_INVALID and never handed out.
 */
#define ZXS_KOID_BATCH	1024

struct zxs_koid_batch {
	u64 next;
	u64 end;
};

static DEFINE_PER_CPU(struct zxs_koid_batch, zxs_koid_batches);
static atomic64_t zxs_koid_counter = ATOMIC64_INIT(0);

u64 zxs_koid_next(void)
{
	struct zxs_koid_batch *b = get_cpu_ptr(&zxs_koid_batches);
	u64 koid;

	if (b->next == b->end) {
		b->end = atomic64_add_return(ZXS_KOID_BATCH, &zxs_koid_counter) + 1;
		b->next = b->end - ZXS_KOID_BATCH;
	}
	koid = b->next++;
	put_cpu_ptr(&zxs_koid_batches);
	return koid;
}

/* ------------------------------------------------------------ signals */

static inline struct zxs_endpoint *zxs_peer(struct zxs_endpoint *ep)
{
	struct zxs_pair *pair = ep->pair;

	return &pair->ep[ep == &pair->ep[0]];
}

static inline int zxs_index(struct zxs_endpoint *ep)
{
	return ep != &ep->pair->ep[0];
}

static inline bool zxs_alive(struct zxs_endpoint *ep)
{
	return ep->handles > 0;
}

static inline bool zxs_is_datagram(struct zxs_pair *pair)
{
	return pair->options & ZXS_DATAGRAM;
}

/* Change @ep's signals; remember what became set so it can be woken. */
static void zxs_update(struct zxs_endpoint *ep, u32 clear, u32 set,
		       struct zxs_wake *wake)
{
	u32 old = ep->signals;
	u32 new = (old & ~clear) | set;

	lockdep_assert_held(&ep->pair->lock);
	if (old == new)
		return;
	WRITE_ONCE(ep->signals, new);
	wake->set[zxs_index(ep)] |= new & ~old;
	if (!list_empty(&ep->observers))
		zxs_observers_update(ep, old, new);
}

/*
 * Drop the pair lock, then wake whoever may now be satisfied.  Only
 * signals that became asserted can satisfy a waiter, so a change that
 * only clears signals wakes nobody, and the poll key lets epoll skip
 * entries that wait for something else.
 */
static void zxs_unlock_wake(struct zxs_pair *pair, struct zxs_wake *wake)
{
	int i;

	mutex_unlock(&pair->lock);
	for (i = 0; i < 2; i++) {
		struct zxs_endpoint *ep = &pair->ep[i];

		__poll_t key = zxs_signals_to_poll(wake->set[i]);

		if (wake->set[i] && wq_has_sleeper(&ep->wq))
			wake_up_interruptible_sync_poll(&ep->wq, key);
		else if (wake->room[i])
			wake_up_interruptible_poll(&ep->wq, ZXS_POLL_ROOM);
	}
	if (wake->fput)
		fput(wake->fput);
}

static inline size_t zxs_free(struct zxs_endpoint *ep)
{
	return ep->pair->capacity - ep->size;
}

/* ----------------------------------------------------------- lifetimes */

void zxs_pair_put(struct zxs_pair *pair)
{
	if (!refcount_dec_and_test(&pair->ref))
		return;
	WARN_ON(!list_empty(&pair->ep[0].observers) ||
		!list_empty(&pair->ep[1].observers));
	mem_cgroup_put(pair->memcg);
	kfree(pair);
}

static void zxs_endpoint_drop_data(struct zxs_endpoint *ep)
{
	zxs_queue_destroy(&ep->rx);
	ep->size = 0;
	ep->ndgrams = 0;
	kfree(ep->control);
	ep->control = NULL;
	ep->control_len = 0;
}

/* The last handle of @ep went away: the endpoint dies. */
static void zxs_endpoint_die(struct zxs_endpoint *ep, struct zxs_wake *wake)
{
	struct zxs_endpoint *peer = zxs_peer(ep);

	lockdep_assert_held(&ep->pair->lock);
	/* What the survivor wrote to the dead end can never be read. */
	zxs_endpoint_drop_data(ep);
	/* An endpoint queued for accept dies with the queue that holds it. */
	wake->fput = ep->accept;
	ep->accept = NULL;
	if (!zxs_alive(peer))
		return;
	zxs_update(peer, ZXS_SIGNAL_WRITABLE, ZXS_SIGNAL_PEER_CLOSED, wake);
	/*
	 * A write(2) blocked on the survivor must fail now.  If the peer
	 * had half-closed (Magenta), PEER_CLOSED was already set and the
	 * update above asserts nothing: wake such writers directly.
	 */
	if (peer->blocked_writers)
		wake->room[zxs_index(peer)] = true;
}

/* A new handle (file.c) on @ep: count it and pin the pair. */
void zxs_handle_attach(struct zxs_handle *h, struct zxs_endpoint *ep)
{
	struct zxs_pair *pair = ep->pair;

	refcount_inc(&pair->ref);
	mutex_lock(&pair->lock);
	ep->handles++;
	mutex_unlock(&pair->lock);
	h->ep = ep;
}

/* The inode of @h is being evicted: its last file is gone. */
void zxs_handle_drop(struct zxs_handle *h)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_wake wake = {};

	mutex_lock(&pair->lock);
	if (--ep->handles == 0)
		zxs_endpoint_die(ep, &wake);
	zxs_unlock_wake(pair, &wake);
	zxs_pair_put(pair);
}

/*
 * An open file goes: cancel the async waits made through it.  Only this
 * file could have added them, and nobody can use it any more, so an empty
 * list read without the lock means there is nothing of ours on it.
 */
static int zxs_endpoint_release(struct inode *inode, struct file *file)
{
	struct zxs_handle *h = file->private_data;
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;

	if (list_empty(&ep->observers))
		return 0;
	mutex_lock(&pair->lock);
	zxs_observers_release(ep, file);
	mutex_unlock(&pair->lock);
	return 0;
}

struct zxs_handle *zxs_file_handle(struct file *file)
{
	if (file->f_op != &zxs_endpoint_fops)
		return NULL;
	return file->private_data;
}

static int zxs_rights_to_flags(u32 rights, u32 fd_flags)
{
	int flags;

	if ((rights & ZXS_RIGHT_READ) && (rights & ZXS_RIGHT_WRITE))
		flags = O_RDWR;
	else if (rights & ZXS_RIGHT_READ)
		flags = O_RDONLY;
	else if (rights & ZXS_RIGHT_WRITE)
		flags = O_WRONLY;
	else
		flags = O_ACCMODE;	/* neither read(2) nor write(2) */
	if (fd_flags & ZXS_FD_NONBLOCK)
		flags |= O_NONBLOCK;
	return flags;
}

static struct zxs_pair *zxs_pair_alloc(u32 options)
{
	struct zxs_pair *pair;
	int i;

	pair = kzalloc(sizeof(*pair), GFP_KERNEL_ACCOUNT);
	if (!pair)
		return NULL;
	mutex_init(&pair->lock);
	refcount_set(&pair->ref, 1);	/* the creator's, until it is done */
	pair->options = options;
	pair->capacity = READ_ONCE(zxs_capacity);
	pair->memcg = get_mem_cgroup_from_mm(current->mm);
	for (i = 0; i < 2; i++) {
		struct zxs_endpoint *ep = &pair->ep[i];

		ep->pair = pair;
		ep->koid = zxs_koid_next();
		ep->signals = ZXS_SIGNAL_WRITABLE;
		if (options & ZXS_HAS_CONTROL)
			ep->signals |= ZXS_SIGNAL_CONTROL_WRITABLE;
		if (options & ZXS_HAS_ACCEPT)
			ep->signals |= ZXS_SIGNAL_SHARE;
		zxs_queue_init(&ep->rx);
		INIT_LIST_HEAD(&ep->observers);
		init_waitqueue_head(&ep->wq);
	}
	return pair;
}

static int zxs_fd_flags(u32 fd_flags)
{
	return (fd_flags & ZXS_FD_NO_CLOEXEC) ? 0 : O_CLOEXEC;
}

/* ZXS_IOC_CREATE: reserve both fds, build both files, copy out, install. */
long zxs_create(struct zxs_create __user *uarg)
{
	struct zxs_create arg;
	struct zxs_pair *pair;
	struct file *files[2];
	int fds[2];
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.options & ~ZXS_CREATE_OPTIONS || arg.flags & ~ZXS_FD_FLAGS)
		return -EINVAL;

	pair = zxs_pair_alloc(arg.options);
	if (!pair)
		return -ENOMEM;

	fds[0] = get_unused_fd_flags(zxs_fd_flags(arg.flags));
	if (fds[0] < 0) {
		ret = fds[0];
		goto err_free_pair;
	}
	fds[1] = get_unused_fd_flags(zxs_fd_flags(arg.flags));
	if (fds[1] < 0) {
		ret = fds[1];
		goto err_put_fd0;
	}
	files[0] = zxs_handle_file(&pair->ep[0], ZXS_DEFAULT_RIGHTS,
				   zxs_rights_to_flags(ZXS_DEFAULT_RIGHTS, arg.flags));
	if (IS_ERR(files[0])) {
		ret = PTR_ERR(files[0]);
		goto err_put_fd1;
	}
	files[1] = zxs_handle_file(&pair->ep[1], ZXS_DEFAULT_RIGHTS,
				   zxs_rights_to_flags(ZXS_DEFAULT_RIGHTS, arg.flags));
	if (IS_ERR(files[1])) {
		ret = PTR_ERR(files[1]);
		goto err_fput0;
	}
	arg.fds[0] = fds[0];
	arg.fds[1] = fds[1];
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		ret = -EFAULT;
		goto err_fput1;
	}
	fd_install(fds[0], files[0]);
	fd_install(fds[1], files[1]);
	zxs_pair_put(pair);
	return 0;

	/* Each file holds its handle, and each handle a pair reference. */
err_fput1:
	fput(files[1]);
err_fput0:
	fput(files[0]);
err_put_fd1:
	put_unused_fd(fds[1]);
err_put_fd0:
	put_unused_fd(fds[0]);
err_free_pair:
	zxs_pair_put(pair);
	return ret;
}

/* ----------------------------------------------------------- data path */

/*
 * Write @len bytes from @from to the peer of @ep.  The Zircon checks come
 * in Zircon's order.  Returns bytes written or a negative errno in the
 * ioctl convention (see the uapi header); -EFAULT means the source faulted
 * and nothing was queued.
 */
static ssize_t zxs_write_locked(struct zxs_endpoint *ep, struct iov_iter *from,
				size_t len, struct zxs_wake *wake)
{
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	bool was_empty;
	size_t n;
	u32 hdr;
	int ret;

	lockdep_assert_held(&pair->lock);
	if (!zxs_alive(peer))
		return -EPIPE;
	if ((ep->signals & ZXS_SIGNAL_WRITE_DISABLED) || ep->half_closed)
		return -EBADFD;
	if (!len)
		return 0;
	if (len > U32_MAX)
		return -EINVAL;
	if (peer->size >= pair->capacity)
		return -EAGAIN;

	was_empty = peer->size == 0;
	if (zxs_is_datagram(pair)) {
		struct zxs_queue_mark mark;
		struct kvec kv = { .iov_base = &hdr, .iov_len = sizeof(hdr) };
		struct iov_iter hdr_iter;

		if (len > pair->capacity)
			return -ERANGE;
		if (len > zxs_free(peer))
			return -EAGAIN;
		hdr = len;
		iov_iter_kvec(&hdr_iter, ITER_SOURCE, &kv, 1, sizeof(hdr));
		zxs_queue_mark(&peer->rx, &mark);
		ret = zxs_queue_append(&peer->rx, &hdr_iter, sizeof(hdr),
				       pair->memcg);
		if (!ret) {
			ret = zxs_queue_append(&peer->rx, from, len, pair->memcg);
			if (ret)
				zxs_queue_rollback(&peer->rx, &mark);
		}
		if (ret)
			return ret;
		n = len;
		peer->ndgrams++;
	} else {
		n = min(len, zxs_free(peer));
		ret = zxs_queue_append(&peer->rx, from, n, pair->memcg);
		if (ret)
			return ret;
	}
	peer->size += n;

	if (was_empty)
		zxs_update(peer, 0, ZXS_SIGNAL_READABLE, wake);
	if (peer->rx_threshold && peer->size >= peer->rx_threshold)
		zxs_update(peer, 0, ZXS_SIGNAL_READ_THRESHOLD, wake);
	if (ep->tx_threshold && zxs_free(peer) < ep->tx_threshold)
		zxs_update(ep, ZXS_SIGNAL_WRITE_THRESHOLD, 0, wake);
	if (peer->size >= pair->capacity)
		zxs_update(ep, ZXS_SIGNAL_WRITABLE, 0, wake);
	return n;
}

/* Signal changes after @ep's queue shrank from @was_full. */
static void zxs_after_consume(struct zxs_endpoint *ep, bool was_full,
			      size_t consumed, struct zxs_wake *wake)
{
	struct zxs_endpoint *peer = zxs_peer(ep);
	u32 set = 0;

	if (ep->rx_threshold && ep->size < ep->rx_threshold)
		zxs_update(ep, ZXS_SIGNAL_READ_THRESHOLD, 0, wake);
	if (!ep->size)
		zxs_update(ep, ZXS_SIGNAL_READABLE, 0, wake);
	if (!zxs_alive(peer))
		return;
	if (peer->tx_threshold && zxs_free(ep) >= peer->tx_threshold)
		set |= ZXS_SIGNAL_WRITE_THRESHOLD;
	/* As in Zircon: un-filling sets WRITABLE whatever the disposition. */
	if (was_full && consumed)
		set |= ZXS_SIGNAL_WRITABLE;
	zxs_update(peer, 0, set, wake);
	/*
	 * A datagram write(2) blocked for room for a whole datagram waits
	 * for more than not-full: tell it whenever room grows.
	 */
	if (consumed && peer->blocked_writers)
		wake->room[zxs_index(peer)] = true;
}

/*
 * Read from @ep's queue into @to, at most @len bytes (stream) or one
 * datagram truncated to @len.  Returns bytes copied or a negative errno
 * (ioctl convention); -EFAULT: a stream read consumed nothing, a datagram
 * read dropped its datagram, a peek dropped nothing.
 */
static ssize_t zxs_read_locked(struct zxs_endpoint *ep, struct iov_iter *to,
			       size_t len, bool peek, struct zxs_wake *wake)
{
	struct zxs_pair *pair = ep->pair;
	bool was_full;
	size_t n, drop;
	int ret;

	lockdep_assert_held(&pair->lock);
	if (len > U32_MAX)
		return -EINVAL;
	if (!ep->size) {
		if (!zxs_alive(zxs_peer(ep)) || ep->magenta_closed)
			return -EPIPE;
		if (ep->read_disabled)
			return -EBADFD;
		return -EAGAIN;
	}
	if (!len)
		return 0;	/* nothing consumed, even of a datagram */

	if (zxs_is_datagram(pair)) {
		struct kvec kv;
		struct iov_iter hdr_iter;
		u32 hdr;

		kv.iov_base = &hdr;
		kv.iov_len = sizeof(hdr);
		iov_iter_kvec(&hdr_iter, ITER_DEST, &kv, 1, sizeof(hdr));
		ret = zxs_queue_copy_out(&ep->rx, 0, &hdr_iter, sizeof(hdr));
		if (WARN_ON_ONCE(ret))
			return -EIO;
		n = min_t(size_t, len, hdr);
		ret = zxs_queue_copy_out(&ep->rx, sizeof(hdr), to, n);
		if (peek)
			return ret ? ret : n;
		drop = hdr;
		zxs_queue_consume(&ep->rx, sizeof(hdr) + hdr);
		ep->ndgrams--;
	} else {
		n = min(len, ep->size);
		ret = zxs_queue_copy_out(&ep->rx, 0, to, n);
		if (ret || peek)
			return ret ? ret : n;
		drop = n;
		zxs_queue_consume(&ep->rx, n);
	}
	was_full = ep->size >= pair->capacity;
	ep->size -= drop;
	zxs_after_consume(ep, was_full, drop, wake);
	return ret ? ret : n;
}

/* Size of the first queued datagram, or of the whole stream queue. */
static size_t zxs_available(struct zxs_endpoint *ep)
{
	struct kvec kv;
	struct iov_iter it;
	u32 hdr;

	if (!zxs_is_datagram(ep->pair) || !ep->size)
		return ep->size;
	kv.iov_base = &hdr;
	kv.iov_len = sizeof(hdr);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(hdr));
	if (zxs_queue_copy_out(&ep->rx, 0, &it, sizeof(hdr)))
		return 0;
	return hdr;
}

/* ------------------------------------------------------ control plane */

static long zxs_control_write(struct zxs_endpoint *ep, struct iov_iter *from,
			      size_t len, struct zxs_wake *wake)
{
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	struct mem_cgroup *old;
	void *msg;

	if (!(pair->options & ZXS_HAS_CONTROL))
		return -EBADFD;
	if (!len)
		return -EINVAL;
	if (len > ZXS_CONTROL_MAX)
		return -ERANGE;
	if (!zxs_alive(peer))
		return -EPIPE;
	if (peer->control)
		return -EAGAIN;
	old = set_active_memcg(pair->memcg);
	msg = kmalloc(len, ZXS_GFP_DATA);
	set_active_memcg(old);
	if (!msg)
		return -ENOMEM;
	if (copy_from_iter(msg, len, from) != len) {
		kfree(msg);
		return -EFAULT;
	}
	peer->control = msg;
	peer->control_len = len;
	zxs_update(peer, 0, ZXS_SIGNAL_CONTROL_READABLE, wake);
	zxs_update(ep, ZXS_SIGNAL_CONTROL_WRITABLE, 0, wake);
	return len;
}

static long zxs_control_read(struct zxs_endpoint *ep, struct iov_iter *to,
			     size_t len, bool peek, struct zxs_wake *wake)
{
	struct zxs_endpoint *peer = zxs_peer(ep);
	size_t n;

	if (!(ep->pair->options & ZXS_HAS_CONTROL))
		return -EBADFD;
	if (!ep->control)
		return -EAGAIN;
	n = min(len, ep->control_len);
	if (copy_to_iter(ep->control, n, to) != n)
		return -EFAULT;
	if (peek)
		return n;
	kfree(ep->control);
	ep->control = NULL;
	ep->control_len = 0;
	zxs_update(ep, ZXS_SIGNAL_CONTROL_READABLE, 0, wake);
	if (zxs_alive(peer))
		zxs_update(peer, 0, ZXS_SIGNAL_CONTROL_WRITABLE, wake);
	return n;
}

/* ------------------------------------------------- Magenta's half-close */

static long zxs_half_close(struct zxs_endpoint *ep, struct zxs_wake *wake)
{
	struct zxs_endpoint *peer = zxs_peer(ep);

	if (ep->half_closed)
		return 0;
	if (!zxs_alive(peer))
		return -EPIPE;
	ep->half_closed = true;
	zxs_update(ep, ZXS_SIGNAL_WRITABLE, 0, wake);
	/* Only a signal was cleared: wake our blocked write(2)s by hand. */
	if (ep->blocked_writers)
		wake->room[zxs_index(ep)] = true;
	peer->magenta_closed = true;
	zxs_update(peer, 0, ZXS_SIGNAL_PEER_CLOSED, wake);
	return 0;
}

/* ---------------------------------------------------------------- ioctls */

static int zxs_need(struct zxs_handle *h, u32 right)
{
	return (h->rights & right) ? 0 : -EACCES;
}

static long zxs_ioctl_io(struct zxs_handle *h, struct zxs_io __user *uarg,
			 bool write)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	void __user *buf;
	struct zxs_wake wake = {};
	struct zxs_io arg;
	struct iov_iter iter;
	u32 allowed = write ? (ZXS_CONTROL | ZXS_HALF_CLOSE) :
			      (ZXS_CONTROL | ZXS_PEEK);
	ssize_t ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if ((arg.len && !arg.buf) || arg.options & ~allowed || arg.reserved ||
	    arg.options == (ZXS_CONTROL | ZXS_HALF_CLOSE))
		return -EINVAL;
	ret = zxs_need(h, write ? ZXS_RIGHT_WRITE : ZXS_RIGHT_READ);
	if (ret)
		return ret;
	buf = u64_to_user_ptr(arg.buf);
	/*
	 * Lengths beyond a u32 are refused below, in Zircon's order; the
	 * iterator's copies check the range of @buf themselves.
	 */
	iov_iter_ubuf(&iter, write ? ITER_SOURCE : ITER_DEST, buf,
		      min_t(u64, arg.len, MAX_RW_COUNT));

	if (arg.options & ZXS_HALF_CLOSE && arg.len)
		return -EINVAL;

	mutex_lock(&pair->lock);
	if (arg.options & ZXS_HALF_CLOSE)
		ret = zxs_half_close(ep, &wake);
	else if (arg.options & ZXS_CONTROL)
		ret = write ? zxs_control_write(ep, &iter, arg.len, &wake) :
			zxs_control_read(ep, &iter, arg.len,
					 arg.options & ZXS_PEEK, &wake);
	else if (write)
		ret = zxs_write_locked(ep, &iter, arg.len, &wake);
	else
		ret = zxs_read_locked(ep, &iter, arg.len,
				      arg.options & ZXS_PEEK, &wake);
	zxs_unlock_wake(pair, &wake);
	if (ret == -EFAULT)
		return -EINVAL;	/* the data buffer, not the argument */
	if (ret < 0)
		return ret;
	arg.actual = ret;
	if (put_user(arg.actual, &uarg->actual))
		return -EFAULT;
	return 0;
}

static int zxs_check_disposition(u32 d)
{
	return (d == 0 || d == ZXS_DISPOSITION_WRITE_DISABLED ||
		d == ZXS_DISPOSITION_WRITE_ENABLED) ? 0 : -EINVAL;
}

/* Re-enabling @writer while its reader still holds old data is refused. */
static bool zxs_reenable_ok(struct zxs_endpoint *reader, u32 d)
{
	return !(d == ZXS_DISPOSITION_WRITE_ENABLED && reader->size &&
		 (reader->signals & ZXS_SIGNAL_PEER_WRITE_DISABLED));
}

static void zxs_apply_disposition(struct zxs_endpoint *writer, u32 d,
				  struct zxs_wake *wake)
{
	struct zxs_endpoint *reader = zxs_peer(writer);
	bool reader_alive = zxs_alive(reader);

	if (d == ZXS_DISPOSITION_WRITE_DISABLED) {
		zxs_update(writer, ZXS_SIGNAL_WRITABLE,
			   ZXS_SIGNAL_WRITE_DISABLED, wake);
		if (reader_alive) {
			reader->read_disabled = true;
			zxs_update(reader, 0, ZXS_SIGNAL_PEER_WRITE_DISABLED,
				   wake);
		}
	} else if (d == ZXS_DISPOSITION_WRITE_ENABLED) {
		zxs_update(writer, ZXS_SIGNAL_WRITE_DISABLED,
			   ZXS_SIGNAL_WRITABLE, wake);
		if (reader_alive) {
			reader->read_disabled = false;
			zxs_update(reader, ZXS_SIGNAL_PEER_WRITE_DISABLED, 0,
				   wake);
		}
	}
}

static long zxs_set_disposition(struct zxs_endpoint *ep, u32 d, u32 d_peer)
{
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	struct zxs_wake wake = {};
	long ret = 0;

	if (!d && !d_peer)
		return 0;
	mutex_lock(&pair->lock);
	if (!zxs_reenable_ok(ep, d_peer) ||
	    (zxs_alive(peer) && !zxs_reenable_ok(peer, d))) {
		ret = -EBADFD;
		goto out;
	}
	zxs_apply_disposition(ep, d, &wake);
	if (zxs_alive(peer))
		zxs_apply_disposition(peer, d_peer, &wake);
	else if (d_peer == ZXS_DISPOSITION_WRITE_DISABLED)
		ep->read_disabled = true;
	else if (d_peer == ZXS_DISPOSITION_WRITE_ENABLED)
		ep->read_disabled = false;
out:
	zxs_unlock_wake(pair, &wake);
	return ret;
}

static long zxs_ioctl_disposition(struct zxs_handle *h,
				  struct zxs_disposition __user *uarg)
{
	struct zxs_disposition arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (zxs_check_disposition(arg.disposition) ||
	    zxs_check_disposition(arg.disposition_peer))
		return -EINVAL;
	if (zxs_need(h, ZXS_RIGHT_MANAGE_SOCKET))
		return -EACCES;
	return zxs_set_disposition(h->ep, arg.disposition,
				   arg.disposition_peer);
}

static long zxs_ioctl_shutdown(struct zxs_handle *h,
			       struct zxs_shutdown __user *uarg)
{
	struct zxs_shutdown arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.options & ~(ZXS_SHUTDOWN_WRITE | ZXS_SHUTDOWN_READ) ||
	    arg.reserved)
		return -EINVAL;
	if (zxs_need(h, ZXS_RIGHT_WRITE))
		return -EACCES;
	/* Disabling never fails the re-enable check. */
	return zxs_set_disposition(h->ep,
		(arg.options & ZXS_SHUTDOWN_WRITE) ?
			ZXS_DISPOSITION_WRITE_DISABLED : 0,
		(arg.options & ZXS_SHUTDOWN_READ) ?
			ZXS_DISPOSITION_WRITE_DISABLED : 0);
}

static long zxs_ioctl_signal(struct zxs_handle *h,
			     struct zxs_signal __user *uarg)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *target;
	struct zxs_wake wake = {};
	struct zxs_signal arg;
	bool to_peer;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~ZXS_SIGNAL_TO_PEER || arg.reserved)
		return -EINVAL;
	to_peer = arg.flags & ZXS_SIGNAL_TO_PEER;
	if ((arg.clear | arg.set) & ~ZXS_SIGNAL_USER_ALL)
		return -EINVAL;
	if (zxs_need(h, to_peer ? ZXS_RIGHT_SIGNAL_PEER : ZXS_RIGHT_SIGNAL))
		return -EACCES;

	mutex_lock(&pair->lock);
	target = to_peer ? zxs_peer(ep) : ep;
	if (!zxs_alive(target))
		ret = -EPIPE;
	else
		zxs_update(target, arg.clear, arg.set, &wake);
	zxs_unlock_wake(pair, &wake);
	return ret;
}

static long zxs_ioctl_info(struct zxs_handle *h, struct zxs_info __user *uarg)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	union {
		struct zxs_info_handle_basic basic;
		struct zxs_info_socket sock;
	} rec;
	struct zxs_info arg;
	size_t size;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;

	memset(&rec, 0, sizeof(rec));
	switch (arg.topic) {
	case ZXS_INFO_HANDLE_BASIC:
		size = sizeof(rec.basic);
		rec.basic.koid = ep->koid;
		rec.basic.rights = h->rights;
		rec.basic.type = ZXS_OBJ_TYPE_SOCKET;
		rec.basic.related_koid = peer->koid;
		break;
	case ZXS_INFO_SOCKET:
		if (zxs_need(h, ZXS_RIGHT_INSPECT))
			return -EACCES;
		size = sizeof(rec.sock);
		mutex_lock(&pair->lock);
		rec.sock.options = pair->options;
		rec.sock.rx_buf_max = pair->capacity;
		rec.sock.rx_buf_size = ep->size;
		rec.sock.rx_buf_available = zxs_available(ep);
		if (zxs_alive(peer)) {
			rec.sock.tx_buf_max = pair->capacity;
			rec.sock.tx_buf_size = peer->size;
		}
		mutex_unlock(&pair->lock);
		break;
	default:
		return -EOPNOTSUPP;
	}

	arg.avail = 1;
	if (arg.buffer_size < size) {
		arg.actual = 0;
		if (copy_to_user(uarg, &arg, sizeof(arg)))
			return -EFAULT;
		return -ENOBUFS;
	}
	if (copy_to_user(u64_to_user_ptr(arg.buffer), &rec, size))
		return -EINVAL;
	arg.actual = 1;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long zxs_ioctl_property(struct zxs_handle *h,
			       struct zxs_property __user *uarg, bool set)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_wake wake = {};
	struct zxs_property arg;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (zxs_need(h, set ? ZXS_RIGHT_SET_PROPERTY : ZXS_RIGHT_GET_PROPERTY))
		return -EACCES;
	if (arg.property != ZXS_PROP_SOCKET_RX_THRESHOLD &&
	    arg.property != ZXS_PROP_SOCKET_TX_THRESHOLD)
		return -EINVAL;
	if (arg.size < sizeof(u64))
		return -ENOBUFS;

	mutex_lock(&pair->lock);
	if (!set) {
		arg.value = arg.property == ZXS_PROP_SOCKET_RX_THRESHOLD ?
			ep->rx_threshold : ep->tx_threshold;
	} else if (arg.property == ZXS_PROP_SOCKET_RX_THRESHOLD) {
		if (arg.value > pair->capacity) {
			ret = -EINVAL;
		} else {
			ep->rx_threshold = arg.value;
			if (arg.value && ep->size >= arg.value)
				zxs_update(ep, 0, ZXS_SIGNAL_READ_THRESHOLD,
					   &wake);
			else
				zxs_update(ep, ZXS_SIGNAL_READ_THRESHOLD, 0,
					   &wake);
		}
	} else {
		struct zxs_endpoint *peer = zxs_peer(ep);

		if (!zxs_alive(peer)) {
			ret = -EPIPE;
		} else if (arg.value > pair->capacity) {
			ret = -EINVAL;
		} else {
			ep->tx_threshold = arg.value;
			if (arg.value && zxs_free(peer) >= arg.value)
				zxs_update(ep, 0, ZXS_SIGNAL_WRITE_THRESHOLD,
					   &wake);
			else
				zxs_update(ep, ZXS_SIGNAL_WRITE_THRESHOLD, 0,
					   &wake);
		}
	}
	zxs_unlock_wake(pair, &wake);
	if (ret || set)
		return ret;
	if (put_user(arg.value, &uarg->value))
		return -EFAULT;
	return 0;
}

static long zxs_ioctl_duplicate(struct zxs_handle *h,
				struct zxs_duplicate __user *uarg)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_duplicate arg;
	struct file *file;
	u32 rights, fd_flags;
	int fd;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~ZXS_DUP_FLAGS || arg.reserved)
		return -EINVAL;
	if (!(arg.flags & ZXS_DUP_REPLACE) &&
	    zxs_need(h, ZXS_RIGHT_DUPLICATE))
		return -EACCES;
	rights = arg.rights;
	if (rights == ZXS_RIGHT_SAME_RIGHTS)
		rights = h->rights;
	else if (rights & ~h->rights)
		return -EINVAL;
	fd_flags = arg.flags >> 8;

	fd = get_unused_fd_flags(zxs_fd_flags(fd_flags));
	if (fd < 0)
		return fd;
	/* Ours is open, so the endpoint is alive and outlives a failure. */
	file = zxs_handle_file(ep, rights, zxs_rights_to_flags(rights, fd_flags));
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	arg.fd = fd;
	if (put_user(arg.fd, &uarg->fd)) {
		fput(file);	/* its eviction drops the handle */
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;
}

/*
 * zx_socket_share: move the endpoint behind @arg.fd into the peer's
 * one-deep accept queue.  The queue holds the open file itself, so the
 * accepted fd has the rights it was shared with.  Only sockets without
 * HAS_ACCEPT can be queued, and only HAS_ACCEPT sockets have queues, so a
 * queued file never holds another queue: no reference cycle can form.
 */
static long zxs_ioctl_share(struct zxs_handle *h, struct zxs_share __user *uarg)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	struct zxs_wake wake = {};
	struct zxs_handle *sh;
	struct zxs_share arg;
	struct file *file;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	if (zxs_need(h, ZXS_RIGHT_WRITE))
		return -EACCES;
	file = fget(arg.fd);
	if (!file)
		return -EBADF;
	sh = zxs_file_handle(file);
	if (!sh)
		ret = -ENOTSOCK;
	else if (!(sh->rights & ZXS_RIGHT_TRANSFER))
		ret = -EACCES;
	else if ((sh->ep->pair->options & ZXS_HAS_ACCEPT) ||
		 sh->ep->pair == pair)
		ret = -EBADFD;
	else if (!(pair->options & ZXS_HAS_ACCEPT))
		ret = -EOPNOTSUPP;
	else
		ret = 0;
	if (ret) {
		fput(file);
		return ret;
	}

	mutex_lock(&pair->lock);
	if (!zxs_alive(peer)) {
		ret = -EPIPE;
	} else if (peer->accept) {
		ret = -EAGAIN;
	} else {
		peer->accept = file;	/* the queue owns our reference now */
		file = NULL;
		zxs_update(peer, 0, ZXS_SIGNAL_ACCEPT, &wake);
		zxs_update(ep, ZXS_SIGNAL_SHARE, 0, &wake);
	}
	wake.fput = file;
	zxs_unlock_wake(pair, &wake);
	return ret;
}

static long zxs_ioctl_accept(struct zxs_handle *h,
			     struct zxs_accept __user *uarg)
{
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_endpoint *peer = zxs_peer(ep);
	struct zxs_wake wake = {};
	struct zxs_accept arg;
	struct file *file;
	int fd;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~ZXS_FD_FLAGS)
		return -EINVAL;
	if (zxs_need(h, ZXS_RIGHT_READ))
		return -EACCES;
	if (!(pair->options & ZXS_HAS_ACCEPT))
		return -EOPNOTSUPP;

	/* Reserve and publish the number first: nothing fails after dequeue. */
	fd = get_unused_fd_flags(zxs_fd_flags(arg.flags));
	if (fd < 0)
		return fd;
	if (put_user(fd, &uarg->fd)) {
		put_unused_fd(fd);
		return -EFAULT;
	}

	mutex_lock(&pair->lock);
	file = ep->accept;
	if (file) {
		ep->accept = NULL;
		zxs_update(ep, ZXS_SIGNAL_ACCEPT, 0, &wake);
		if (zxs_alive(peer))
			zxs_update(peer, 0, ZXS_SIGNAL_SHARE, &wake);
	}
	zxs_unlock_wake(pair, &wake);
	if (!file) {
		put_unused_fd(fd);
		return -EAGAIN;
	}
	if (arg.flags & ZXS_FD_NONBLOCK) {
		spin_lock(&file->f_lock);
		file->f_flags |= O_NONBLOCK;
		spin_unlock(&file->f_lock);
	}
	fd_install(fd, file);
	return 0;
}

static long zxs_endpoint_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct zxs_handle *h = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case ZXS_IOC_WRITE:
		return zxs_ioctl_io(h, uarg, true);
	case ZXS_IOC_READ:
		return zxs_ioctl_io(h, uarg, false);
	case ZXS_IOC_SET_DISPOSITION:
		return zxs_ioctl_disposition(h, uarg);
	case ZXS_IOC_SHUTDOWN:
		return zxs_ioctl_shutdown(h, uarg);
	case ZXS_IOC_SIGNAL:
		return zxs_ioctl_signal(h, uarg);
	case ZXS_IOC_WAIT_ONE:
		if (zxs_need(h, ZXS_RIGHT_WAIT))
			return -EACCES;
		return zxs_wait_one(h->ep, uarg);
	case ZXS_IOC_GET_INFO:
		return zxs_ioctl_info(h, uarg);
	case ZXS_IOC_GET_PROPERTY:
		return zxs_ioctl_property(h, uarg, false);
	case ZXS_IOC_SET_PROPERTY:
		return zxs_ioctl_property(h, uarg, true);
	case ZXS_IOC_DUPLICATE:
		return zxs_ioctl_duplicate(h, uarg);
	case ZXS_IOC_SHARE:
		return zxs_ioctl_share(h, uarg);
	case ZXS_IOC_ACCEPT:
		return zxs_ioctl_accept(h, uarg);
	default:
		return -ENOTTY;
	}
}

/* --------------------------------------------------- read(2) / write(2) */

static bool zxs_nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
		(iocb->ki_flags & IOCB_NOWAIT);
}

/* IOCB_NOWAIT (RWF_NOWAIT, io_uring) must not sleep on the lock either. */
static int zxs_iocb_lock(struct kiocb *iocb, struct zxs_pair *pair)
{
	if (!(iocb->ki_flags & IOCB_NOWAIT)) {
		mutex_lock(&pair->lock);
		return 0;
	}
	return mutex_trylock(&pair->lock) ? 0 : -EAGAIN;
}

/*
 * Block until @ready(@ep, @want) holds (evaluated under the pair lock), or
 * a signal arrives.  Called and returns with the lock held.
 */
static int zxs_wait_locked(struct zxs_endpoint *ep,
			   bool (*ready)(struct zxs_endpoint *ep, size_t want),
			   size_t want)
{
	struct zxs_pair *pair = ep->pair;
	DEFINE_WAIT(w);
	int ret = 0;

	while (!ready(ep, want)) {
		prepare_to_wait(&ep->wq, &w, TASK_INTERRUPTIBLE);
		if (ready(ep, want))
			break;
		mutex_unlock(&pair->lock);
		if (!signal_pending(current))
			schedule();
		finish_wait(&ep->wq, &w);
		mutex_lock(&pair->lock);
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	finish_wait(&ep->wq, &w);
	return ret;
}

/* read(2) can go on: data, or an end of file to report. */
static bool zxs_read_ready(struct zxs_endpoint *ep, size_t want)
{
	return ep->size || ep->read_disabled || ep->magenta_closed ||
		!zxs_alive(zxs_peer(ep));
}

/* write(2) can go on: room for @want bytes, or an error to report. */
static bool zxs_write_ready(struct zxs_endpoint *ep, size_t want)
{
	struct zxs_endpoint *peer = zxs_peer(ep);

	return !zxs_alive(peer) || ep->half_closed ||
		(ep->signals & ZXS_SIGNAL_WRITE_DISABLED) ||
		zxs_free(peer) >= want;
}

static ssize_t zxs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct zxs_handle *h = iocb->ki_filp->private_data;
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_wake wake = {};
	size_t len = iov_iter_count(to);
	ssize_t ret;

	if (!(h->rights & ZXS_RIGHT_READ))
		return -EBADF;
	if (!len && !zxs_is_datagram(pair))
		return 0;
	if (zxs_iocb_lock(iocb, pair))
		return -EAGAIN;
	for (;;) {
		ret = zxs_read_locked(ep, to, len, false, &wake);
		if (ret != -EAGAIN || zxs_nonblock(iocb))
			break;
		ret = zxs_wait_locked(ep, zxs_read_ready, 0);
		if (ret)
			break;
	}
	zxs_unlock_wake(pair, &wake);
	/* End of file once the peer is gone or has stopped writing. */
	if (ret == -EPIPE || ret == -EBADFD)
		return 0;
	return ret;
}

static ssize_t zxs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct zxs_handle *h = iocb->ki_filp->private_data;
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;
	struct zxs_wake wake = {};
	size_t total = iov_iter_count(from), done = 0;
	ssize_t ret = 0;

	if (!(h->rights & ZXS_RIGHT_WRITE))
		return -EBADF;
	if (!total)
		return 0;
	if (zxs_is_datagram(pair) && total > pair->capacity)
		return -EMSGSIZE;
	if (zxs_iocb_lock(iocb, pair))
		return -EAGAIN;
	while (done < total) {
		ret = zxs_write_locked(ep, from, total - done, &wake);
		if (ret > 0) {
			done += ret;
			continue;
		}
		if (ret != -EAGAIN || zxs_nonblock(iocb))
			break;
		/* Wait for room for a datagram, or for any room in a stream. */
		ep->blocked_writers++;
		ret = zxs_wait_locked(ep, zxs_write_ready,
				      zxs_is_datagram(pair) ? total : 1);
		ep->blocked_writers--;
		if (ret)
			break;
	}
	zxs_unlock_wake(pair, &wake);
	if (done)
		return done;
	if (ret == -EPIPE || ret == -EBADFD) {
		send_sig(SIGPIPE, current, 0);
		return -EPIPE;
	}
	return ret;
}

/* ----------------------------------------------------- splice, sendfile */

/*
 * Stream endpoints splice like pipes: read_iter and write_iter do the
 * work, so blocking, rights, end of file and EPIPE are those of read(2)
 * and write(2).  A pipe keeps no message boundaries, so datagram endpoints
 * refuse splice and sendfile with EINVAL rather than guess them.
 */
static ssize_t zxs_splice_read(struct file *in, loff_t *ppos,
			       struct pipe_inode_info *pipe, size_t len,
			       unsigned int flags)
{
	struct zxs_handle *h = in->private_data;

	if (zxs_is_datagram(h->ep->pair))
		return -EINVAL;
#ifdef ZXS_HAVE_COPY_SPLICE_READ
	return copy_splice_read(in, ppos, pipe, len, flags);
#else
	return generic_file_splice_read(in, ppos, pipe, len, flags);
#endif
}

static ssize_t zxs_splice_write(struct pipe_inode_info *pipe, struct file *out,
				loff_t *ppos, size_t len, unsigned int flags)
{
	struct zxs_handle *h = out->private_data;

	if (zxs_is_datagram(h->ep->pair))
		return -EINVAL;
	return iter_file_splice_write(pipe, out, ppos, len, flags);
}

/* ------------------------------------------------------------ poll, fdinfo */

static __poll_t zxs_poll(struct file *file, poll_table *wait)
{
	struct zxs_handle *h = file->private_data;
	struct zxs_endpoint *ep = h->ep;

	/* Register first, then read state: no wakeup can fall in between. */
	poll_wait(file, &ep->wq, wait);
	return zxs_signals_to_poll(READ_ONCE(ep->signals));
}

static void zxs_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct zxs_handle *h = file->private_data;
	struct zxs_endpoint *ep = h->ep;
	struct zxs_pair *pair = ep->pair;

	mutex_lock(&pair->lock);
	seq_printf(m, "zxs-koid:\t%llu\n", ep->koid);
	seq_printf(m, "zxs-peer-koid:\t%llu\n", zxs_peer(ep)->koid);
	seq_printf(m, "zxs-type:\t%s\n",
		   zxs_is_datagram(pair) ? "datagram" : "stream");
	seq_printf(m, "zxs-options:\t%#x\n", pair->options);
	seq_printf(m, "zxs-rights:\t%#x\n", h->rights);
	seq_printf(m, "zxs-signals:\t%#x\n", ep->signals);
	seq_printf(m, "zxs-rx-bytes:\t%zu\n", ep->size);
	if (zxs_is_datagram(pair))
		seq_printf(m, "zxs-rx-datagrams:\t%zu\n", ep->ndgrams);
	seq_printf(m, "zxs-rx-max:\t%zu\n", pair->capacity);
	seq_printf(m, "zxs-tx-bytes:\t%zu\n", zxs_peer(ep)->size);
	seq_printf(m, "zxs-rx-threshold:\t%zu\n", ep->rx_threshold);
	seq_printf(m, "zxs-tx-threshold:\t%zu\n", ep->tx_threshold);
	mutex_unlock(&pair->lock);
}

const struct file_operations zxs_endpoint_fops = {
	.owner		= THIS_MODULE,
	.open		= zxs_endpoint_open,
	.release	= zxs_endpoint_release,
	.read_iter	= zxs_read_iter,
	.write_iter	= zxs_write_iter,
	.splice_read	= zxs_splice_read,
	.splice_write	= zxs_splice_write,
	.poll		= zxs_poll,
	.unlocked_ioctl	= zxs_endpoint_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= zxs_show_fdinfo,
};
