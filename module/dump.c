// SPDX-License-Identifier: GPL-2.0
/*
 * OBJHASH_IOC_DUMP: copy the table out, one record per object, in the
 * order of the walk engine (walk.c), from a cursor the caller passes back.
 *
 * Each step of the walk collects a few objects, each held by a reference,
 * with the bucket locks already dropped; only then are they copied to the
 * user's buffer, which may fault and sleep.  The position moves past a
 * record only once the record is written whole, so a call that stops (a
 * full buffer, a fault, a signal) resumes exactly where it stopped.
 */

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dev.h"
#include "table.h"

/* Steps (bucket intervals) one call walks at most, records or not. */
#define OBJHASH_DUMP_SLICE	65536

#define OBJHASH_DUMP_FLAGS	(OBJHASH_DUMP_KEYS_ONLY | OBJHASH_DUMP_DELETE | \
				 OBJHASH_DUMP_VERSIONS)

/* Where a call stands; the output fields live in @args. */
struct objhash_dump_ctx {
	struct objhash_table *t;
	struct objhash_dump *args;
	struct objhash_walk *w;
	void __user *ubuf;
	bool keys_only;
	bool drain;
};

static u64 objhash_rec_len(const struct objhash_dump_ctx *c,
			   struct objhash_obj *obj)
{
	u64 len = sizeof(struct objhash_dump_rec) + objhash_obj_key_len(obj);

	if (!c->keys_only)
		len += objhash_obj_value_len(obj);
	return round_up(len, 8);
}

/* Write @obj's record of @rec_len bytes at @dst. */
static int objhash_rec_to_user(const struct objhash_dump_ctx *c,
			       void __user *dst, struct objhash_obj *obj,
			       u32 rec_len)
{
	struct objhash_dump_rec rec = {
		.version = objhash_obj_version(obj),
		.rec_len = rec_len,
		.flags = c->keys_only ? OBJHASH_REC_VALUE_OMITTED : 0,
		.key_len = objhash_obj_key_len(obj),
		.value_len = objhash_obj_value_len(obj),
	};
	u32 data = rec.key_len + (c->keys_only ? 0 : rec.value_len);
	void __user *value = dst + sizeof(rec) + rec.key_len;

	if (copy_to_user(dst, &rec, sizeof(rec)) ||
	    copy_to_user(dst + sizeof(rec), objhash_obj_key(obj), rec.key_len) ||
	    (!c->keys_only &&
	     objhash_obj_value_to_user(obj, 0, value, rec.value_len)) ||
	    clear_user(dst + sizeof(rec) + data, rec_len - sizeof(rec) - data))
		return -EFAULT;
	return 0;
}

/*
 * Emit the objects @c->w collected, one run of equal positions at a time
 * (all of a run or none of it).  Return: 0 when every one was emitted (or,
 * draining, skipped); 1 when the buffer or the record count is full;
 * -ERANGE or -EFAULT when the call's first record does not fit or faults.
 * The position moves past each run written whole.
 */
static int objhash_dump_emit(struct objhash_dump_ctx *c)
{
	struct objhash_dump *args = c->args;
	struct objhash_walk *w = c->w;
	unsigned int i, j, k;

	for (i = 0; i < w->nr; i = j) {
		u64 ord = w->ents[i].ord, run = 0;
		u32 records = args->records, bytes = args->bytes;

		for (j = i; j < w->nr && w->ents[j].ord == ord; j++)
			run += objhash_rec_len(c, w->ents[j].obj);
		/* A run longer than @max_records goes whole, or never would. */
		if (args->max_records && args->records &&
		    args->records + (j - i) > args->max_records)
			return 1;
		if (run > args->buf_len - args->bytes) {
			if (args->records)
				return 1;
			args->needed = min_t(u64, run, U32_MAX);
			return -ERANGE;
		}
		for (k = i; k < j; k++) {
			struct objhash_obj *obj = w->ents[k].obj;
			void __user *dst = c->ubuf + args->bytes;
			u32 len = objhash_rec_len(c, obj);

			/*
			 * Drain: fault the buffer in before the unlink, so a
			 * bad buffer deletes nothing; unlink only the version
			 * found, so of racing drains one returns it.
			 */
			if (c->drain) {
				if (fault_in_safe_writeable(dst, len))
					goto fault;
				if (objhash_remove(c->t, objhash_obj_key(obj),
						   objhash_obj_key_len(obj),
						   objhash_obj_version(obj))) {
					args->skipped++;
					continue;
				}
			}
			if (objhash_rec_to_user(c, dst, obj, len))
				goto fault;
			args->records++;
			args->bytes += len;
		}
		if (ord == U64_MAX)
			w->done = true;
		else
			w->pos = ord + 1;
		continue;
fault:
		/* The run is not written whole: not one of it counts. */
		args->records = records;
		args->bytes = bytes;
		return args->records ? 1 : -EFAULT;
	}
	return 0;
}

/* Walk and emit until the buffer is full or the slice is walked. */
static int objhash_dump_fill(struct objhash_dump_ctx *c)
{
	struct objhash_dump *args = c->args;
	struct objhash_walk *w = c->w;
	unsigned int steps = 0;
	int err = 0;

	while (!w->done) {
		if (args->max_records && args->records >= args->max_records)
			break;
		/*
		 * A full step whatever @max_records says: a step must hold
		 * every key of one position together (objhash_dump_emit()).
		 */
		err = objhash_walk_step(c->t, w, OBJHASH_WALK_MAX);
		if (err)
			break;
		err = objhash_dump_emit(c);
		objhash_walk_put(w, 0);
		if (err)
			break;
		/* Everything up to the step's end was emitted or skipped. */
		if (w->end)
			w->done = true;
		else
			w->pos = w->next;
		if (++steps == OBJHASH_DUMP_SLICE)
			break;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	/* The records written are the call's result, whatever stopped it. */
	if (err == 1 || (err && args->records))
		err = 0;
	return err;
}

/**
 * objhash_ioctl_dump - OBJHASH_IOC_DUMP
 * @file: the fd's file
 * @uarg: user pointer to struct objhash_dump
 * @usize: its size, from the command
 *
 * See struct objhash_dump for what it guarantees.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
long objhash_ioctl_dump(struct file *file, void __user *uarg, size_t usize)
{
	struct objhash_dump __user *udump = uarg;
	struct objhash_dump args;
	struct objhash_dump_ctx c = {
		.t = objhash_file_table(file),
		.args = &args,
	};
	bool versions;
	int err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	versions = args.flags & OBJHASH_DUMP_VERSIONS;
	if ((args.flags & ~OBJHASH_DUMP_FLAGS) ||
	    (!versions && (args.min_version || args.max_version)) ||
	    (args.max_version && args.min_version > args.max_version))
		return -EINVAL;
	c.drain = args.flags & OBJHASH_DUMP_DELETE;
	if (c.drain && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	c.keys_only = args.flags & OBJHASH_DUMP_KEYS_ONLY;
	c.ubuf = u64_to_user_ptr(args.buf);
	err = objhash_probe_writable(uarg, &args, sizeof(args));
	if (err)
		return err;

	/* 1 KiB of collected objects: too much for the stack. */
	c.w = kmalloc(sizeof(*c.w), GFP_KERNEL);
	if (!c.w)
		return -ENOMEM;
	err = objhash_cursor_decode(c.t, args.cursor, c.w);
	if (err)
		goto out;
	c.w->min_version = args.min_version;
	c.w->max_version = args.max_version ?: U64_MAX;
	args.records = 0;
	args.bytes = 0;
	args.needed = 0;
	args.skipped = 0;

	err = objhash_dump_fill(&c);
	if (err == -ERANGE) {
		/* The cursor stays; only @needed is news. */
		if (put_user(args.needed, &udump->needed))
			err = -EFAULT;
		goto out;
	}
	if (err)
		goto out;
	args.status = c.w->done ? OBJHASH_DUMP_DONE : 0;
	args.version = objhash_table_version(c.t);
	objhash_cursor_encode(c.t, c.w, args.cursor);
	if (copy_to_user(uarg, &args, sizeof(args)))
		err = -EFAULT;
out:
	kfree(c.w);
	return err;
}
