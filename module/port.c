// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket ports: zx_port_create, zx_port_queue, zx_port_wait,
 * zx_port_cancel and zx_object_wait_async.
 *
 * A port is a queue of 48-byte packets behind an anon-inode file that polls
 * readable while the queue is not empty.  zx_object_wait_async puts an
 * observer on an endpoint; when the endpoint's signals match, the observer
 * leaves the endpoint and its embedded packet joins the port's queue, so
 * firing never allocates and never fails.  The packet is freed when it is
 * read, cancelled, or the port dies.
 *
 * Locking: zxs_port.lock (a spinlock) nests inside zxs_pair.lock and is
 * never held while taking a pair lock.  An armed observer is on two lists:
 * its endpoint's (pair lock) and its port's (port lock).  Three paths take
 * it off:
 *
 *   firing and cancelling (the watched file's release, zx_port_cancel) run
 *	under the pair lock: they unlink from the endpoint, then, under the
 *	port lock, from the port - unless the port is dead;
 *   the death of the port marks it dead and takes its armed observers
 *	under the port lock, then unlinks each from its endpoint under that
 *	pair's lock, and frees it.
 *
 * So whoever finds the port dead leaves the observer to the port's death.
 * An observer holds no reference on its socket: it is cancelled before the
 * file it was registered through goes, so its endpoint outlives it; the
 * port's death pins a pair for the moment it needs its lock, taking the
 * reference while the observer is still armed (so the pair is alive).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "zxsocket.h"

#define ZXS_WAIT_ASYNC_OPTIONS	(ZXS_WAIT_ASYNC_TIMESTAMP | ZXS_WAIT_ASYNC_EDGE | \
				 ZXS_WAIT_ASYNC_BOOT_TIMESTAMP)
#define ZXS_PORT_FD_FLAGS	(ZXS_FD_NONBLOCK | ZXS_FD_NO_CLOEXEC)
#define ZXS_PORT_DUP_FLAGS	(ZXS_DUP_REPLACE | ZXS_DUP_FD_NONBLOCK | \
				 ZXS_DUP_FD_NO_CLOEXEC)

static void zxs_port_put(struct zxs_port *port)
{
	if (refcount_dec_and_test(&port->ref))
		kfree(port);
}

static void zxs_packet_free(struct zxs_port *port, struct zxs_packet *p)
{
	if (p->user) {
		kfree(p);
		return;
	}
	kfree(container_of(p, struct zxs_observer, packet));
	zxs_port_put(port);
}

/* ------------------------------------------------------------- firing */

static void zxs_observer_queue(struct zxs_observer *o, u32 observed)
{
	struct zxs_port *port = o->port;
	struct zxs_port_packet *pkt = &o->packet.pkt;

	pkt->payload[0] = (u64)observed << 32 | o->trigger;
	pkt->payload[1] = 1;	/* count: always 1, as in Zircon */
	if (o->options & ZXS_WAIT_ASYNC_TIMESTAMP)
		pkt->payload[2] = ktime_get_ns();
	else if (o->options & ZXS_WAIT_ASYNC_BOOT_TIMESTAMP)
		pkt->payload[2] = ktime_get_boottime_ns();
	list_add_tail(&o->packet.node, &port->packets);
}

/*
 * @ep's signals went from @old to @new (pair lock held): fire every
 * observer that matches.  Level observers fire on any asserted trigger
 * signal; edge observers only on one that just rose.
 */
void zxs_observers_update(struct zxs_endpoint *ep, u32 old, u32 new)
{
	struct zxs_observer *o, *tmp;

	lockdep_assert_held(&ep->pair->lock);
	list_for_each_entry_safe(o, tmp, &ep->observers, ep_node) {
		struct zxs_port *port = o->port;
		u32 hit = o->options & ZXS_WAIT_ASYNC_EDGE ? new & ~old : new;
		bool queued = false;

		if (!(hit & o->trigger))
			continue;
		list_del_init(&o->ep_node);
		spin_lock(&port->lock);
		if (!port->dead) {
			list_del(&o->port_node);
			port->nobservers--;
			zxs_observer_queue(o, new);
			queued = true;
		}
		spin_unlock(&port->lock);
		if (queued)
			wake_up_poll(&port->wq, EPOLLIN | EPOLLRDNORM);
	}
}

/*
 * Unlink @o from its endpoint (done by the caller) and its port, under the
 * pair lock; free it unless the dying port owns it now.
 */
static void zxs_observer_cancel(struct zxs_observer *o)
{
	struct zxs_port *port = o->port;
	bool mine = false;

	spin_lock(&port->lock);
	if (!port->dead) {
		list_del(&o->port_node);
		port->nobservers--;
		mine = true;
	}
	spin_unlock(&port->lock);
	if (mine) {
		kfree(o);
		zxs_port_put(port);
	}
}

/* @file, an open file of @ep, is being released: cancel its waits. */
void zxs_observers_release(struct zxs_endpoint *ep, struct file *file)
{
	struct zxs_observer *o, *tmp;

	lockdep_assert_held(&ep->pair->lock);
	list_for_each_entry_safe(o, tmp, &ep->observers, ep_node) {
		if (o->packet.source != file)
			continue;
		list_del_init(&o->ep_node);
		zxs_observer_cancel(o);
	}
}

/* ---------------------------------------------------------- port files */

static struct zxs_port_handle *zxs_file_port(struct file *file)
{
	if (!file || file->f_op != &zxs_port_fops)
		return NULL;
	return file->private_data;
}

static struct file *zxs_port_file(struct zxs_port *port, u32 rights,
				  u32 fd_flags)
{
	struct zxs_port_handle *ph;
	struct file *file;
	int flags = O_RDWR;

	ph = kmalloc(sizeof(*ph), GFP_KERNEL_ACCOUNT);
	if (!ph)
		return ERR_PTR(-ENOMEM);
	ph->port = port;
	ph->rights = rights;
	if (fd_flags & ZXS_FD_NONBLOCK)
		flags |= O_NONBLOCK;
	file = anon_inode_getfile("[zxport]", &zxs_port_fops, ph, flags);
	if (IS_ERR(file))
		kfree(ph);
	return file;
}

static int zxs_fd_cloexec(u32 fd_flags)
{
	return (fd_flags & ZXS_FD_NO_CLOEXEC) ? 0 : O_CLOEXEC;
}

long zxs_port_create(struct zxs_port_create __user *uarg)
{
	struct zxs_port_create arg;
	struct zxs_port *port;
	struct file *file;
	int fd;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.options & ~ZXS_PORT_BIND_TO_INTERRUPT ||
	    arg.flags & ~ZXS_PORT_FD_FLAGS || arg.reserved)
		return -EINVAL;

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return -ENOMEM;
	spin_lock_init(&port->lock);
	refcount_set(&port->ref, 1);
	port->handles = 1;
	port->koid = zxs_koid_next();
	INIT_LIST_HEAD(&port->packets);
	INIT_LIST_HEAD(&port->observers);
	init_waitqueue_head(&port->wq);

	fd = get_unused_fd_flags(zxs_fd_cloexec(arg.flags));
	if (fd < 0) {
		kfree(port);
		return fd;
	}
	file = zxs_port_file(port, ZXS_DEFAULT_PORT_RIGHTS, arg.flags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kfree(port);
		return PTR_ERR(file);
	}
	if (put_user(fd, &uarg->fd)) {
		fput(file);	/* releases the port */
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;
}

/* The last file of @port went away: drop its packets and its waits. */
static void zxs_port_die(struct zxs_port *port)
{
	struct zxs_observer *o, *otmp;
	struct zxs_packet *p, *ptmp;
	LIST_HEAD(observers);
	LIST_HEAD(packets);

	spin_lock(&port->lock);
	port->dead = true;
	list_splice_init(&port->packets, &packets);
	port->nuser = 0;
	list_splice_init(&port->observers, &observers);
	port->nobservers = 0;
	/* Still armed, so still on a live endpoint: pin its pair. */
	list_for_each_entry(o, &observers, port_node)
		refcount_inc(&o->ep->pair->ref);
	spin_unlock(&port->lock);

	list_for_each_entry_safe(p, ptmp, &packets, node)
		zxs_packet_free(port, p);

	list_for_each_entry_safe(o, otmp, &observers, port_node) {
		struct zxs_pair *pair = o->ep->pair;

		mutex_lock(&pair->lock);
		if (!list_empty(&o->ep_node))
			list_del_init(&o->ep_node);
		mutex_unlock(&pair->lock);
		zxs_pair_put(pair);
		kfree(o);
		zxs_port_put(port);
	}
}

static int zxs_port_release(struct inode *inode, struct file *file)
{
	struct zxs_port_handle *ph = file->private_data;
	struct zxs_port *port = ph->port;
	bool last;

	spin_lock(&port->lock);
	last = --port->handles == 0;
	spin_unlock(&port->lock);
	kfree(ph);
	if (last) {
		zxs_port_die(port);
		zxs_port_put(port);
	}
	return 0;
}

/* ------------------------------------------------------------ the calls */

/* Take the port behind @fd for a call that needs @right. */
static long zxs_port_get(int fd, u32 right, struct file **filep,
			 struct zxs_port **portp)
{
	struct zxs_port_handle *ph;
	struct file *file;

	file = fget(fd);
	if (!file)
		return -EBADF;
	ph = zxs_file_port(file);
	if (!ph) {
		fput(file);
		return -ENOTSOCK;
	}
	if (!(ph->rights & right)) {
		fput(file);
		return -EACCES;
	}
	*filep = file;
	*portp = ph->port;
	return 0;
}

/* Take the endpoint behind @fd as the watched object of a port call. */
static long zxs_watched_get(int fd, struct file **filep,
			    struct zxs_endpoint **epp)
{
	struct zxs_port_handle *ph;
	struct zxs_handle *h;
	struct file *file;

	file = fget(fd);
	if (!file)
		return -EBADF;
	h = zxs_file_handle(file);
	ph = zxs_file_port(file);
	if (!h) {
		fput(file);
		/* A port has no WAIT right, so it is refused as Zircon does. */
		return ph ? -EACCES : -ENOTSOCK;
	}
	if (!(h->rights & ZXS_RIGHT_WAIT)) {
		fput(file);
		return -EACCES;
	}
	*filep = file;
	*epp = h->ep;
	return 0;
}

long zxs_wait_async(struct zxs_wait_async __user *uarg)
{
	struct zxs_wait_async arg;
	struct zxs_endpoint *ep;
	struct zxs_port *port;
	struct file *pfile, *file;
	struct zxs_observer *o;
	struct zxs_pair *pair;
	bool fired = false;
	u32 signals;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.options & ~ZXS_WAIT_ASYNC_OPTIONS)
		return -EINVAL;
	if ((arg.options & ZXS_WAIT_ASYNC_TIMESTAMP) &&
	    (arg.options & ZXS_WAIT_ASYNC_BOOT_TIMESTAMP))
		return -EINVAL;
	ret = zxs_port_get(arg.port, ZXS_RIGHT_WRITE, &pfile, &port);
	if (ret)
		return ret;
	ret = zxs_watched_get(arg.fd, &file, &ep);
	if (ret)
		goto out_port;

	o = kzalloc(sizeof(*o), ZXS_GFP_DATA);
	if (!o) {
		ret = -ENOMEM;
		goto out_file;
	}
	INIT_LIST_HEAD(&o->ep_node);
	o->ep = ep;
	o->port = port;
	o->trigger = arg.signals;
	o->options = arg.options;
	o->packet.source = file;
	o->packet.pkt.key = arg.key;
	o->packet.pkt.type = ZXS_PKT_TYPE_SIGNAL_ONE;

	pair = ep->pair;
	mutex_lock(&pair->lock);
	signals = ep->signals;
	spin_lock(&port->lock);
	/* We hold a file of the port, so it cannot be dead. */
	if (port->nobservers >= ZXS_PORT_MAX_OBSERVERS) {
		ret = -EMFILE;
	} else {
		refcount_inc(&port->ref);
		if (!(arg.options & ZXS_WAIT_ASYNC_EDGE) &&
		    (signals & arg.signals)) {
			zxs_observer_queue(o, signals);
			fired = true;
		} else {
			list_add_tail(&o->port_node, &port->observers);
			port->nobservers++;
			list_add_tail(&o->ep_node, &ep->observers);
		}
	}
	spin_unlock(&port->lock);
	if (fired)
		wake_up_poll(&port->wq, EPOLLIN | EPOLLRDNORM);
	mutex_unlock(&pair->lock);
	if (ret)
		kfree(o);
out_file:
	fput(file);
out_port:
	fput(pfile);
	return ret;
}

long zxs_port_cancel(struct zxs_port_cancel __user *uarg)
{
	struct zxs_observer *o, *otmp;
	struct zxs_packet *p, *ptmp;
	struct zxs_port_cancel arg;
	struct zxs_endpoint *ep;
	struct zxs_port *port;
	struct file *pfile, *file;
	struct zxs_pair *pair;
	LIST_HEAD(gone);
	bool found = false;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = zxs_port_get(arg.port, ZXS_RIGHT_WRITE, &pfile, &port);
	if (ret)
		return ret;
	ret = zxs_watched_get(arg.fd, &file, &ep);
	if (ret)
		goto out_port;

	pair = ep->pair;
	mutex_lock(&pair->lock);
	list_for_each_entry_safe(o, otmp, &ep->observers, ep_node) {
		if (o->port != port || o->packet.source != file ||
		    o->packet.pkt.key != arg.key)
			continue;
		list_del_init(&o->ep_node);
		zxs_observer_cancel(o);
		found = true;
	}
	mutex_unlock(&pair->lock);

	spin_lock(&port->lock);
	list_for_each_entry_safe(p, ptmp, &port->packets, node) {
		if (p->source != file || p->pkt.key != arg.key)
			continue;
		list_move_tail(&p->node, &gone);
		found = true;
	}
	spin_unlock(&port->lock);
	list_for_each_entry_safe(p, ptmp, &gone, node)
		zxs_packet_free(port, p);

	ret = found ? 0 : -ENOENT;
	fput(file);
out_port:
	fput(pfile);
	return ret;
}

static long zxs_port_queue(struct zxs_port_handle *ph,
			   struct zxs_port_packet __user *uarg)
{
	struct zxs_port *port = ph->port;
	struct zxs_packet *p;
	long ret = 0;

	if (!(ph->rights & ZXS_RIGHT_WRITE))
		return -EACCES;
	p = kmalloc(sizeof(*p), ZXS_GFP_DATA);
	if (!p)
		return -ENOMEM;
	if (copy_from_user(&p->pkt, uarg, sizeof(p->pkt))) {
		kfree(p);
		return -EFAULT;
	}
	p->pkt.type = ZXS_PKT_TYPE_USER;
	p->source = NULL;
	p->user = true;

	spin_lock(&port->lock);
	if (port->nuser >= ZXS_PORT_MAX_USER_PACKETS) {
		ret = -EAGAIN;
	} else {
		port->nuser++;
		list_add_tail(&p->node, &port->packets);
	}
	spin_unlock(&port->lock);
	if (ret) {
		kfree(p);
		return ret;
	}
	wake_up_poll(&port->wq, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static struct zxs_packet *zxs_port_take(struct zxs_port *port)
{
	struct zxs_packet *p;

	spin_lock(&port->lock);
	p = list_first_entry_or_null(&port->packets, struct zxs_packet, node);
	if (p) {
		list_del(&p->node);
		if (p->user)
			port->nuser--;
	}
	spin_unlock(&port->lock);
	return p;
}

static long zxs_port_wait(struct zxs_port_handle *ph,
			  struct zxs_port_wait __user *uarg)
{
	struct zxs_port *port = ph->port;
	struct zxs_port_packet pkt;
	struct zxs_port_wait arg;
	struct zxs_packet *p;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!(ph->rights & ZXS_RIGHT_READ))
		return -EACCES;

	p = zxs_port_take(port);
	if (!p) {
		DEFINE_WAIT(w);

		for (;;) {
			prepare_to_wait_exclusive(&port->wq, &w,
						  TASK_INTERRUPTIBLE);
			p = zxs_port_take(port);
			if (p)
				break;
			if (zxs_deadline_passed(arg.deadline)) {
				ret = -ETIMEDOUT;
				break;
			}
			ret = zxs_sleep_until(arg.deadline);
			if (ret == -ERESTARTSYS)
				break;
		}
		finish_wait(&port->wq, &w);
		/* An exclusive wakeup we will not use goes to the next waiter. */
		if (!p && !list_empty(&port->packets))
			wake_up_poll(&port->wq, EPOLLIN | EPOLLRDNORM);
		if (!p)
			return ret;
	}
	pkt = p->pkt;
	zxs_packet_free(port, p);
	if (copy_to_user(u64_to_user_ptr(arg.packet), &pkt, sizeof(pkt)))
		return -EFAULT;
	return 0;
}

static long zxs_port_duplicate(struct zxs_port_handle *ph,
			       struct zxs_duplicate __user *uarg)
{
	struct zxs_port *port = ph->port;
	struct zxs_duplicate arg;
	struct file *file;
	u32 rights, fd_flags;
	int fd;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~ZXS_PORT_DUP_FLAGS || arg.reserved)
		return -EINVAL;
	if (!(arg.flags & ZXS_DUP_REPLACE) &&
	    !(ph->rights & ZXS_RIGHT_DUPLICATE))
		return -EACCES;
	rights = arg.rights;
	if (rights == ZXS_RIGHT_SAME_RIGHTS)
		rights = ph->rights;
	else if (rights & ~ph->rights)
		return -EINVAL;
	fd_flags = arg.flags >> 8;

	fd = get_unused_fd_flags(zxs_fd_cloexec(fd_flags));
	if (fd < 0)
		return fd;
	/* Our file is open, so the port is alive: count the new one. */
	spin_lock(&port->lock);
	port->handles++;
	spin_unlock(&port->lock);
	file = zxs_port_file(port, rights, fd_flags);
	if (IS_ERR(file)) {
		spin_lock(&port->lock);
		port->handles--;	/* ours is still open: never the last */
		spin_unlock(&port->lock);
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	if (put_user(fd, &uarg->fd)) {
		fput(file);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;
}

static long zxs_port_info(struct zxs_port_handle *ph,
			  struct zxs_info __user *uarg)
{
	struct zxs_info_handle_basic basic;
	struct zxs_info arg;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	if (arg.topic != ZXS_INFO_HANDLE_BASIC)
		return -ENOTSOCK;	/* a socket topic on a port */

	memset(&basic, 0, sizeof(basic));
	basic.koid = ph->port->koid;
	basic.rights = ph->rights;
	basic.type = ZXS_OBJ_TYPE_PORT;
	arg.avail = 1;
	if (arg.buffer_size < sizeof(basic)) {
		arg.actual = 0;
		if (copy_to_user(uarg, &arg, sizeof(arg)))
			return -EFAULT;
		return -ENOBUFS;
	}
	if (copy_to_user(u64_to_user_ptr(arg.buffer), &basic, sizeof(basic)))
		return -EINVAL;
	arg.actual = 1;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long zxs_port_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct zxs_port_handle *ph = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case ZXS_IOC_PORT_QUEUE:
		return zxs_port_queue(ph, uarg);
	case ZXS_IOC_PORT_WAIT:
		return zxs_port_wait(ph, uarg);
	case ZXS_IOC_DUPLICATE:
		return zxs_port_duplicate(ph, uarg);
	case ZXS_IOC_GET_INFO:
		return zxs_port_info(ph, uarg);
	case ZXS_IOC_WAIT_ONE:
		return -EOPNOTSUPP;	/* a port is not waitable */
	case ZXS_IOC_WRITE:
	case ZXS_IOC_READ:
	case ZXS_IOC_SET_DISPOSITION:
	case ZXS_IOC_SHUTDOWN:
	case ZXS_IOC_SIGNAL:
	case ZXS_IOC_GET_PROPERTY:
	case ZXS_IOC_SET_PROPERTY:
	case ZXS_IOC_SHARE:
	case ZXS_IOC_ACCEPT:
		return -ENOTSOCK;
	default:
		return -ENOTTY;
	}
}

static __poll_t zxs_port_poll(struct file *file, poll_table *wait)
{
	struct zxs_port_handle *ph = file->private_data;
	struct zxs_port *port = ph->port;

	poll_wait(file, &port->wq, wait);
	return list_empty(&port->packets) ? 0 : EPOLLIN | EPOLLRDNORM;
}

static void zxs_port_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct zxs_port_handle *ph = file->private_data;
	struct zxs_port *port = ph->port;
	unsigned int packets = 0, nuser, nobservers;
	struct zxs_packet *p;

	spin_lock(&port->lock);
	list_for_each_entry(p, &port->packets, node)
		packets++;
	nuser = port->nuser;
	nobservers = port->nobservers;
	spin_unlock(&port->lock);
	seq_printf(m, "zxs-koid:\t%llu\n", port->koid);
	seq_puts(m, "zxs-type:\tport\n");
	seq_printf(m, "zxs-rights:\t%#x\n", ph->rights);
	seq_printf(m, "zxs-packets:\t%u\n", packets);
	seq_printf(m, "zxs-user-packets:\t%u\n", nuser);
	seq_printf(m, "zxs-async-waits:\t%u\n", nobservers);
}

const struct file_operations zxs_port_fops = {
	.owner		= THIS_MODULE,
	.release	= zxs_port_release,
	.poll		= zxs_port_poll,
	.unlocked_ioctl	= zxs_port_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= zxs_port_show_fdinfo,
	.llseek		= noop_llseek,
};
