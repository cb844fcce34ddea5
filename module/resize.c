// SPDX-License-Identifier: GPL-2.0
/*
 * objhash resizer: grows and shrinks a table's bucket array with the
 * number of objects, in a worker, never in a caller's path.
 *
 * A resize allocates the new array, publishes it as the old array's
 * @future, then empties the old array into it one bucket at a time, under
 * that bucket's lock (and, nested, the lock of the new bucket an object
 * goes to).  Meanwhile:
 *  - readers take no lock and never miss a key that stays linked: they look
 *    in the old array and then in @future (see objhash_find_rcu());
 *  - writers lock the key's bucket in the oldest array that holds the key,
 *    or link into the newest array: they wait at most for the move of one
 *    bucket, and never fail because of a resize (see objhash_lock_key());
 *  - purges walk hash intervals across both arrays.
 * Then the new array becomes the table's, and the old one is freed after a
 * grace period.  If the new array cannot be allocated, the table keeps its
 * size and the worker tries again later: nothing else notices.
 *
 * Flood defence: an insert that walks a chain of OBJHASH_CHAIN_MAX objects
 * asks for a rehash, the same move into an array of a new epoch, whose
 * keys are hashed with a new random secret: the mover writes each object's
 * hash for the new epoch into its other hash slot before linking it there,
 * so readers of either array compare hashes of their own epoch.  A rehash
 * costs a move of every object, so one is allowed only after as many
 * creates as the table holds objects (amortized O(1) per insert, whatever
 * an attacker does); until then the long chain is tolerated, and counted.
 * Nor is one done while the table is over its load and can grow: chains
 * are long then because inserts outran the grows, and the grow is the
 * cure.  Inserts are never refused for it.
 *
 * Load: the table grows once it holds more objects than buckets (load
 * above 1), to the size where the load is in [0.5, 1); it shrinks once it
 * holds fewer than a quarter, to the size where the load is in [0.25,
 * 0.5).  The gap between the two is the hysteresis that keeps a table at a
 * steady size from flapping.  The thresholds are rhashtable's (grow above
 * 75%, shrink below 30%) rounded to powers of two: a chain costs a lookup
 * one cache miss per object walked, and at load 1 a hit walks 1.5 objects
 * on average, a miss 1.  docs/performance.md has what growing measured (a
 * sweep of the thresholds themselves is still to be done).
 */

#include <linux/delay.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "table_internal.h"

/* After a failed allocation, try again this much later. */
#define OBJHASH_RESIZE_RETRY	(HZ / 4)

/**
 * objhash_array_alloc - allocate an empty array of buckets
 * @bits: log2 of the number of buckets
 * @epoch: the epoch of @secret
 * @secret: the hash key of the array
 * @gfp: allocation flags
 *
 * Context: Process context; may sleep if @gfp allows.
 * Return: the array, or NULL.
 */
struct objhash_array *objhash_array_alloc(unsigned int bits, u32 epoch,
					  const hsiphash_key_t *secret,
					  gfp_t gfp)
{
	struct objhash_array *a;
	unsigned long i;

	a = kmalloc(sizeof(*a), gfp);
	if (!a)
		return NULL;
	a->b = kvmalloc_array(BIT(bits), sizeof(*a->b), gfp);
	if (!a->b) {
		kfree(a);
		return NULL;
	}
	a->bits = bits;
	a->epoch = epoch;
	a->secret = *secret;
	RCU_INIT_POINTER(a->future, NULL);
	for (i = 0; i < BIT(bits); i++) {
		INIT_HLIST_NULLS_HEAD(&a->b[i].chain, objhash_nulls(&a->b[i]));
		spin_lock_init(&a->b[i].lock);
	}
	return a;
}

/**
 * objhash_array_free - free an array no reader or writer can reach
 * @a: the array
 *
 * Context: Process context.
 */
void objhash_array_free(struct objhash_array *a)
{
	kvfree(a->b);
	kfree(a);
}

/*
 * The size a table of @n objects wants, given its size now (@bits): the
 * same while the load is in [0.25, 1]; else the size with load in
 * [0.5, 1) when growing, [0.25, 0.5) when shrinking.
 */
static unsigned int objhash_wanted_bits(const struct objhash_table *t,
					unsigned long n, unsigned int bits)
{
	unsigned int want = bits;

	if (n > BIT(bits))
		want = fls_long(n);
	else if (n < BIT(bits) / 4)
		want = fls_long(n) + 1;
	return clamp(want, t->min_bits, t->max_bits);
}

/*
 * Move every object of @ob into @new.  Each time the last object of the
 * chain goes: linked at the head of its new chain first, then unlinked
 * from the old one by pointing its predecessor at the old chain's end.
 * Readers on the old chain before it thus never lose the rest of their
 * chain; one standing on the moved object follows it into the new chain,
 * meets a nulls marker that is not its bucket's and restarts (see
 * objhash_find_rcu()).  The unlink is a release store, so a reader that
 * sees the object gone also sees it, and @new, in the new array.  @delay
 * (a test hook) stretches the time an object is in both chains.
 */
static void objhash_move_bucket(struct objhash_bucket *ob, u32 old_epoch,
				struct objhash_array *new, unsigned int delay)
{
	struct hlist_nulls_node *end =
		(struct hlist_nulls_node *)NULLS_MARKER(objhash_nulls(ob));

	spin_lock(&ob->lock);
	for (;;) {
		struct hlist_nulls_node *pos, *first, **pprev;
		struct objhash_obj *obj, *last = NULL;
		struct objhash_bucket *nb;

		hlist_nulls_for_each_entry(obj, pos, &ob->chain, node)
			last = obj;
		if (!last)
			break;
		/* a rehash: the hash of the new epoch, in the slot no reader
		 * of the old array looks at
		 */
		if (new->epoch != old_epoch)
			last->hash[new->epoch & 1] =
				objhash_array_hash(new, last->data,
						   last->key_len);
		nb = objhash_array_bucket(new, last->hash[new->epoch & 1]);
		spin_lock_nested(&nb->lock, SINGLE_DEPTH_NESTING);
		pprev = last->node.pprev;
		first = nb->chain.first;
		WRITE_ONCE(last->node.next, first);
		WRITE_ONCE(last->node.pprev, &nb->chain.first);
		rcu_assign_pointer(hlist_nulls_first_rcu(&nb->chain),
				   &last->node);
		if (!is_a_nulls(first))
			WRITE_ONCE(first->pprev, &last->node.next);
		/* test hook: hold the object in both chains for a while */
		if (delay)
			udelay(delay);
		rcu_assign_pointer(*(struct hlist_nulls_node __rcu __force **)pprev,
				   end);
		spin_unlock(&nb->lock);
	}
	spin_unlock(&ob->lock);
}

/*
 * One resize of @t to @bits buckets, with @rehash into a new epoch with a
 * new secret; false if the array was not there.
 */
static bool objhash_resize_to(struct objhash_table *t, unsigned int bits,
			      bool rehash)
{
	struct objhash_array *old, *new;
	hsiphash_key_t secret;
	unsigned long i;

	lockdep_assert_held(&t->resize_mutex);
	old = rcu_dereference_protected(t->tbl,
					lockdep_is_held(&t->resize_mutex));
	if (atomic_add_unless(&t->fail_resizes, -1, 0))
		return false;
	secret = old->secret;
	if (rehash)
		get_random_bytes(&secret, sizeof(secret));
	new = objhash_array_alloc(bits, old->epoch + rehash, &secret,
				  GFP_KERNEL | __GFP_NOWARN |
				  __GFP_RETRY_MAYFAIL);
	if (!new)
		return false;

	/* Before any move: readers and writers must find @new. */
	rcu_assign_pointer(old->future, new);
	for (i = 0; i < BIT(old->bits); i++) {
		unsigned int delay = READ_ONCE(t->resize_delay_us);

		objhash_move_bucket(&old->b[i], old->epoch, new, delay);
		if (delay)
			fsleep(delay);
		else
			cond_resched();
	}
	rcu_assign_pointer(t->tbl, new);
	WRITE_ONCE(t->bits, bits);
	if (bits > old->bits)
		WRITE_ONCE(t->grows, t->grows + 1);
	else if (bits < old->bits)
		WRITE_ONCE(t->shrinks, t->shrinks + 1);
	if (rehash)
		WRITE_ONCE(t->rehashes, t->rehashes + 1);

	/* Readers and writers that started in @old have left it. */
	synchronize_rcu();
	objhash_array_free(old);
	return true;
}

static void objhash_resize_work(struct work_struct *work)
{
	struct objhash_table *t = container_of(to_delayed_work(work),
					       struct objhash_table,
					       resize_work);
	unsigned int bits, want;
	bool rehash;

	mutex_lock(&t->resize_mutex);
	/* The load may move on while we resize: go on until it fits. */
	while (!READ_ONCE(t->dying)) {
		unsigned long n = atomic_long_read(&t->nr_objects);
		u64 creates = objhash_table_creates(t);

		bits = READ_ONCE(t->bits);
		want = objhash_wanted_bits(t, n, bits);
		rehash = READ_ONCE(t->rehash_wanted);
		if (rehash && want > bits) {
			/*
			 * The chain is long because the table is over its
			 * load (inserts outran the grows): growing shortens
			 * it, and a rehash would move every object for
			 * nothing, and end every dump under way.  A chain
			 * still long after the grow asks again.
			 */
			WRITE_ONCE(t->rehash_wanted, false);
			rehash = false;
		}
		if (rehash && creates - t->rehash_creates < n) {
			/* too soon after the last one: put it off */
			WRITE_ONCE(t->rehashes_deferred,
				   t->rehashes_deferred + 1);
			rehash = false;
		}
		if (want == bits && !rehash)
			break;
		if (rehash) {
			WRITE_ONCE(t->rehash_wanted, false);
			t->rehash_creates = creates;
		}
		if (!objhash_resize_to(t, want, rehash)) {
			WRITE_ONCE(t->resize_failed, t->resize_failed + 1);
			queue_delayed_work(system_unbound_wq, &t->resize_work,
					   OBJHASH_RESIZE_RETRY);
			break;
		}
	}
	mutex_unlock(&t->resize_mutex);
}

/**
 * objhash_resize_check - ask for a resize if the load wants one
 * @t: table
 *
 * Cheap enough for every insert and delete: two reads, and a queue_work()
 * only when the load is out of bounds (a no-op while one is pending).
 *
 * Context: Process context, or any context that may queue work.
 */
void objhash_resize_check(struct objhash_table *t)
{
	unsigned int bits = READ_ONCE(t->bits);

	if (objhash_wanted_bits(t, atomic_long_read(&t->nr_objects), bits) !=
	    bits && !READ_ONCE(t->dying))
		queue_delayed_work(system_unbound_wq, &t->resize_work, 0);
}

/**
 * objhash_rehash_request - ask for a rehash with a new secret
 * @t: table one of whose chains has grown to OBJHASH_CHAIN_MAX
 *
 * Context: Process context, or any context that may queue work.
 */
void objhash_rehash_request(struct objhash_table *t)
{
	if (!READ_ONCE(t->rehash_wanted))
		WRITE_ONCE(t->rehash_wanted, true);
	if (!READ_ONCE(t->dying))
		queue_delayed_work(system_unbound_wq, &t->resize_work, 0);
}

/**
 * objhash_resize_init - set up a new table's resizer
 * @t: table whose first array is in place
 */
void objhash_resize_init(struct objhash_table *t)
{
	mutex_init(&t->resize_mutex);
	INIT_DELAYED_WORK(&t->resize_work, objhash_resize_work);
	t->bits = t->min_bits;
}

/**
 * objhash_resize_stop - stop a table's resizer for good
 * @t: table that no one inserts into or deletes from any more
 *
 * A resize under way completes first; none starts afterwards, so the
 * table's only array is then its current one.
 *
 * Context: Process context; sleeps.
 */
void objhash_resize_stop(struct objhash_table *t)
{
	WRITE_ONCE(t->dying, true);
	cancel_delayed_work_sync(&t->resize_work);
}

/**
 * objhash_table_resize - resize a table now, for tests
 * @t: table
 * @bits: log2 of the wanted number of buckets, within the table's bounds
 *
 * The worker may resize the table back afterwards if its load says so.
 *
 * Context: Process context; sleeps.
 * Return: 0, -EINVAL if @bits is out of bounds, -ENOMEM.
 */
int objhash_table_resize(struct objhash_table *t, unsigned int bits)
{
	int err = 0;

	if (bits < t->min_bits || bits > t->max_bits)
		return -EINVAL;
	mutex_lock(&t->resize_mutex);
	if (bits != READ_ONCE(t->bits) && !objhash_resize_to(t, bits, false))
		err = -ENOMEM;
	mutex_unlock(&t->resize_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(objhash_table_resize);

/**
 * objhash_table_fail_resizes - make the next resizes fail, for tests
 * @t: table
 * @n: how many of the next new-array allocations fail as if memory ran out
 *
 * Context: Any context.
 */
void objhash_table_fail_resizes(struct objhash_table *t, unsigned int n)
{
	atomic_set(&t->fail_resizes, n);
}
EXPORT_SYMBOL_GPL(objhash_table_fail_resizes);

/**
 * objhash_table_set_secret - choose a new table's hash secret, for tests
 * @t: table just created, empty, that no one else uses yet
 * @k0: first half of the hsiphash key
 * @k1: second half
 *
 * With a known secret a test can compute which keys collide, and so show
 * that a flood of them makes the table rehash.  Never for production: a
 * known secret is what the random one protects against.
 *
 * Context: Process context.
 */
void objhash_table_set_secret(struct objhash_table *t, u64 k0, u64 k1)
{
	struct objhash_array *a = rcu_dereference_protected(t->tbl, true);

	a->secret.key[0] = k0;
	a->secret.key[1] = k1;
}
EXPORT_SYMBOL_GPL(objhash_table_set_secret);

/**
 * objhash_table_slow_resizes - slow the resizer down, for tests
 * @t: table
 * @us: microseconds the resizer spins in the middle of each object's move
 *	(holding two bucket locks) and sleeps after each bucket it moves; at
 *	most 1000
 *
 * Context: Any context.
 */
void objhash_table_slow_resizes(struct objhash_table *t, unsigned int us)
{
	/* spun with two spinlocks held: keep it short */
	WRITE_ONCE(t->resize_delay_us, min(us, 1000U));
}
EXPORT_SYMBOL_GPL(objhash_table_slow_resizes);
