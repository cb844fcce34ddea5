/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/rculist_nulls.h (6.1) on the kernel's own list_nulls.h:
 * the RCU-safe hlist_nulls updates and walks.  Writers hold the lock that
 * serializes the chain; readers under rcu_read_lock() see the old or the
 * new chain, never a half-linked node, because each pointer they follow
 * is published with rcu_assign_pointer() (or WRITE_ONCE(), a release store
 * here, see linux/compiler.h) after what it points to is complete.  As in
 * 6.1, the walks take no lockdep condition; the checks that a reader is
 * in a section are those of rcu_dereference() (linux/rcupdate.h).
 */
#ifndef _OBJHASH_SHIM_LINUX_RCULIST_NULLS_H
#define _OBJHASH_SHIM_LINUX_RCULIST_NULLS_H

#include <linux/kernel.h>
#include <linux/list_nulls.h>
#include <linux/rcupdate.h>

#define hlist_nulls_first_rcu(head) \
	(*((struct hlist_nulls_node __rcu **)&(head)->first))
#define hlist_nulls_next_rcu(node) \
	(*((struct hlist_nulls_node __rcu **)&(node)->next))

/* Unlink @n; readers on it may still follow n->next. */
static inline void hlist_nulls_del_rcu(struct hlist_nulls_node *n)
{
	__hlist_nulls_del(n);
	WRITE_ONCE(n->pprev, LIST_POISON2);
}

static inline void hlist_nulls_add_head_rcu(struct hlist_nulls_node *n,
					    struct hlist_nulls_head *h)
{
	struct hlist_nulls_node *first = h->first;

	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(hlist_nulls_first_rcu(h), n);
	if (!is_a_nulls(first))
		WRITE_ONCE(first->pprev, &n->next);
}

#define hlist_nulls_for_each_entry_rcu(tpos, pos, head, member)		\
	for (({ barrier(); }),						\
	     pos = rcu_dereference_raw(hlist_nulls_first_rcu(head));	\
		(!is_a_nulls(pos)) &&					\
		({ tpos = hlist_nulls_entry(pos, typeof(*tpos), member); 1; }); \
		pos = rcu_dereference_raw(hlist_nulls_next_rcu(pos)))

#define hlist_nulls_for_each_entry_safe(tpos, pos, head, member)	\
	for (({ barrier(); }),						\
	     pos = rcu_dereference_raw(hlist_nulls_first_rcu(head));	\
		(!is_a_nulls(pos)) &&					\
		({ tpos = hlist_nulls_entry(pos, typeof(*tpos), member); \
		   pos = rcu_dereference_raw(hlist_nulls_next_rcu(pos)); 1; });)

#endif
