/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hlist half of include/linux/rculist.h (6.1), on the kernel's own
 * struct hlist_node from tools/include, with CONFIG_PROVE_RCU_LIST's check
 * always on: hlist_for_each_entry_rcu() splats unless the caller is in a
 * read-side section or its lockdep condition (e.g. lockdep_is_held() of
 * the bucket lock) holds.  Writers must hold whatever lock serializes
 * them; readers may run concurrently with any of these updates and see
 * either the old or the new chain, never a half-linked node, because every
 * pointer a reader follows is published with rcu_assign_pointer() after
 * the node it points to is complete.
 */
#ifndef _OBJHASH_SHIM_LINUX_RCULIST_H
#define _OBJHASH_SHIM_LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/poison.h>
#include <linux/rcupdate.h>

#define hlist_first_rcu(head)	(*((struct hlist_node __rcu **)(&(head)->first)))
#define hlist_next_rcu(node)	(*((struct hlist_node __rcu **)(&(node)->next)))
#define hlist_pprev_rcu(node)	(*((struct hlist_node __rcu **)((node)->pprev)))

/*
 * Unlink @n; readers already on it may still follow n->next.  (The
 * WRITE_ONCE() of the successor is a release store: see linux/compiler.h.)
 */
static inline void hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next;
	struct hlist_node **pprev = n->pprev;

	WRITE_ONCE(*pprev, next);
	if (next)
		WRITE_ONCE(next->pprev, pprev);
	WRITE_ONCE(n->pprev, LIST_POISON2);
}

/* Put @new where @old is: a reader sees one or the other, whole. */
static inline void hlist_replace_rcu(struct hlist_node *old,
				     struct hlist_node *new)
{
	struct hlist_node *next = old->next;

	new->next = next;
	WRITE_ONCE(new->pprev, old->pprev);
	rcu_assign_pointer(*(struct hlist_node __rcu **)new->pprev, new);
	if (next)
		WRITE_ONCE(new->next->pprev, &new->next);
	WRITE_ONCE(old->pprev, LIST_POISON2);
}

static inline void hlist_add_head_rcu(struct hlist_node *n,
				      struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(hlist_first_rcu(h), n);
	if (first)
		WRITE_ONCE(first->pprev, &n->next);
}

#define __list_check_rcu(dummy, cond, extra...)				\
	RCU_LOCKDEP_WARN(!(cond) && !rcu_read_lock_any_held(),		\
			 "RCU-list traversed in non-reader section!")

#define hlist_for_each_entry_rcu(pos, head, member, cond...)		\
	for (__list_check_rcu(dummy, ## cond, 0),			\
	     pos = hlist_entry_safe(rcu_dereference_raw(hlist_first_rcu(head)),\
			typeof(*(pos)), member);			\
		pos;							\
		pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(\
			&(pos)->member)), typeof(*(pos)), member))

#endif
