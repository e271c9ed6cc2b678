// SPDX-License-Identifier: GPL-2.0
/*
 * zxsocket waits: zx_object_wait_one, zx_object_wait_many, and the map
 * from signals to poll bits that poll/epoll and the wait keys share.
 *
 * A waiter puts one entry on the waitqueue of each endpoint it watches,
 * then sleeps until a deadline on CLOCK_MONOTONIC.  Wakeups carry the
 * poll bits of the signals that became set, and an entry ignores a key
 * that cannot be one of its signals.  Deadlines are absolute, so a wait
 * interrupted by a signal is restarted (or repeated by the library)
 * without losing time.
 */
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "zxsocket.h"

#define ZXS_POLL_PRI_SIGNALS	(ZXS_SIGNAL_ACCEPT | ZXS_SIGNAL_CONTROL_READABLE | \
				 ZXS_SIGNAL_USER_ALL)

/*
 * The documented mapping (README, "poll and epoll").  A peer that stopped
 * writing also reads as EPOLLIN, as for a shut-down socket: read(2) would
 * not block, it returns end of file.
 */
__poll_t zxs_signals_to_poll(u32 signals)
{
	__poll_t mask = 0;

	if (signals & ZXS_SIGNAL_READABLE)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (signals & ZXS_SIGNAL_WRITABLE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (signals & ZXS_SIGNAL_PEER_CLOSED)
		mask |= EPOLLHUP | EPOLLIN | EPOLLRDNORM;
	if (signals & ZXS_SIGNAL_PEER_WRITE_DISABLED)
		mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (signals & ZXS_SIGNAL_WRITE_DISABLED)
		mask |= EPOLLERR;
	if (signals & ZXS_SIGNAL_READ_THRESHOLD)
		mask |= EPOLLRDBAND;
	if (signals & ZXS_SIGNAL_WRITE_THRESHOLD)
		mask |= EPOLLWRBAND;
	if (signals & ZXS_POLL_PRI_SIGNALS)
		mask |= EPOLLPRI;
	return mask;
}

struct zxs_waiter {
	wait_queue_entry_t entry;
	__poll_t interest;	/* poll bits of the awaited signals */
	struct task_struct *task;
};

static int zxs_waiter_wake(wait_queue_entry_t *entry, unsigned int mode,
			   int sync, void *key)
{
	struct zxs_waiter *w = container_of(entry, struct zxs_waiter, entry);

	if (key && !(key_to_poll(key) & w->interest))
		return 0;
	return wake_up_process(w->task);
}

static void zxs_waiter_add(struct zxs_waiter *w, struct zxs_endpoint *ep,
			   u32 signals)
{
	init_waitqueue_func_entry(&w->entry, zxs_waiter_wake);
	w->interest = zxs_signals_to_poll(signals);
	w->task = current;
	add_wait_queue(&ep->wq, &w->entry);
}

/*
 * Sleep until woken, the deadline, or a signal.  Returns 0 when woken (the
 * caller re-checks), -ETIMEDOUT or -ERESTARTSYS.  The caller has set the
 * task state before its last check of the condition.
 */
int zxs_sleep_until(s64 deadline)
{
	ktime_t expires = ns_to_ktime(deadline);

	if (signal_pending(current)) {
		__set_current_state(TASK_RUNNING);
		return -ERESTARTSYS;
	}
	if (deadline == ZXS_TIME_INFINITE)
		schedule();
	else if (!schedule_hrtimeout_range(&expires, 0, HRTIMER_MODE_ABS))
		return -ETIMEDOUT;
	return signal_pending(current) ? -ERESTARTSYS : 0;
}

/* Deadlines are signed: ZX_TIME_INFINITE_PAST and the like have passed. */
bool zxs_deadline_passed(s64 deadline)
{
	/* A poll (deadline 0) needs no clock read. */
	if (deadline <= 0)
		return true;
	return deadline != ZXS_TIME_INFINITE &&
		(s64)ktime_get_ns() >= deadline;
}

long zxs_wait_one(struct zxs_endpoint *ep, struct zxs_wait_one __user *uarg)
{
	struct zxs_wait_one arg;
	struct zxs_waiter w;
	u32 observed;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	observed = READ_ONCE(ep->signals);
	if (!(observed & arg.signals) && zxs_deadline_passed(arg.deadline)) {
		/* A poll: no waiter to queue and dequeue. */
		ret = -ETIMEDOUT;
	} else if (!(observed & arg.signals)) {
		zxs_waiter_add(&w, ep, arg.signals);
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			observed = READ_ONCE(ep->signals);
			if (observed & arg.signals)
				break;
			if (zxs_deadline_passed(arg.deadline)) {
				ret = -ETIMEDOUT;
				break;
			}
			ret = zxs_sleep_until(arg.deadline);
			if (ret == -ERESTARTSYS)
				break;
			if (ret == -ETIMEDOUT) {
				/* A last look: set just before the timer fired? */
				observed = READ_ONCE(ep->signals);
				if (observed & arg.signals)
					ret = 0;
				break;
			}
		}
		__set_current_state(TASK_RUNNING);
		remove_wait_queue(&ep->wq, &w.entry);
		if (ret == -ERESTARTSYS)
			return ret;
	}
	if (put_user(observed, &uarg->observed))
		return -EFAULT;
	return ret;
}

struct zxs_wait_slot {
	struct file *file;
	struct zxs_endpoint *ep;
	struct zxs_waiter w;
};

static bool zxs_wait_many_done(struct zxs_wait_slot *slots,
			       struct zxs_wait_item *items, u32 count)
{
	bool done = false;
	u32 i;

	for (i = 0; i < count; i++) {
		items[i].pending = READ_ONCE(slots[i].ep->signals);
		if (items[i].pending & items[i].waitfor)
			done = true;
	}
	return done;
}

/* Look up every item's fd, in order, with Zircon's per-handle errors. */
static long zxs_wait_many_get(struct zxs_wait_slot *slots,
			      struct zxs_wait_item *items, u32 count)
{
	struct zxs_handle *h;
	u32 i;

	for (i = 0; i < count; i++) {
		slots[i].file = fget(items[i].fd);
		if (!slots[i].file)
			return -EBADF;
		h = zxs_file_handle(slots[i].file);
		if (!h)
			return -ENOTSOCK;
		if (!(h->rights & ZXS_RIGHT_WAIT))
			return -EACCES;
		slots[i].ep = h->ep;
	}
	return 0;
}

long zxs_wait_many(struct zxs_wait_many __user *uarg)
{
	struct zxs_wait_item __user *uitems;
	struct zxs_wait_many arg;
	struct zxs_wait_slot *slots;
	struct zxs_wait_item *items;
	u32 i, count;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	if (arg.count > ZXS_WAIT_MANY_MAX_ITEMS)
		return -ERANGE;
	count = arg.count;
	uitems = u64_to_user_ptr(arg.items);

	/* Bounded by ZXS_WAIT_MANY_MAX_ITEMS: a few KiB at most. */
	items = kcalloc(count ? count : 1, sizeof(*items), GFP_KERNEL);
	slots = kcalloc(count ? count : 1, sizeof(*slots), GFP_KERNEL);
	if (!items || !slots) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(items, uitems, count * sizeof(*items))) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = zxs_wait_many_get(slots, items, count);
	if (ret)
		goto out_put;

	if (!zxs_wait_many_done(slots, items, count)) {
		for (i = 0; i < count; i++)
			zxs_waiter_add(&slots[i].w, slots[i].ep,
				       items[i].waitfor);
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (zxs_wait_many_done(slots, items, count))
				break;
			if (zxs_deadline_passed(arg.deadline)) {
				ret = -ETIMEDOUT;
				break;
			}
			ret = zxs_sleep_until(arg.deadline);
			if (ret == -ERESTARTSYS)
				break;
			if (ret == -ETIMEDOUT) {
				if (zxs_wait_many_done(slots, items, count))
					ret = 0;
				break;
			}
		}
		__set_current_state(TASK_RUNNING);
		for (i = 0; i < count; i++)
			remove_wait_queue(&slots[i].ep->wq, &slots[i].w.entry);
		if (ret == -ERESTARTSYS)
			goto out_put;
	}
	if (copy_to_user(uitems, items, count * sizeof(*items)))
		ret = -EFAULT;

out_put:
	for (i = 0; i < count && slots[i].file; i++)
		fput(slots[i].file);
out_free:
	kfree(slots);
	kfree(items);
	return ret;
}
