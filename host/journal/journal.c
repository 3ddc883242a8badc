/* Appending, flushing (write + fdatasync, segment roll), FAILED state, close. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "journal/journal_internal.h"

void journal_logf(const journal_t *j, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (j->opt.log_fn)
		j->opt.log_fn(j->opt.log_arg, level, line);
	else
		log_msg(level, "journal", "%s", line);
}

void journal_set_err(journal_t *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->err, sizeof j->err, fmt, ap);
	va_end(ap);
}

void journal_notify(journal_t *j)
{
	uint64_t one = 1;
	/* EAGAIN means the counter is saturated, i.e. already readable. */
	ssize_t n = write(j->notify_fd, &one, sizeof one);
	(void)n;
}

/* Caller holds mu. The first failure wins; the reason is kept verbatim. */
static void fail_locked(journal_t *j, int err, const char *reason)
{
	if (atomic_load(&j->failed))
		return;
	j->fail_errno = err > 0 ? err : EIO;
	snprintf(j->fail_reason, sizeof j->fail_reason, "%s", reason);
	/* Records not yet handed to write() can never become durable. */
	j->fill.len = 0;
	j->pending_records = 0;
	atomic_store(&j->failed, true);
	journal_logf(j, TH_LOG_ERROR, "%s: journal FAILED, no further appends accepted: %s", j->dir, reason);
}

/* Ends the current segment (it must be durable before the next one is
 * used, so a torn tail can only ever be in the last segment) and starts
 * the one whose first record is next_lsn. Caller holds io_mu. */
static int roll_segment(journal_t *j, uint64_t next_lsn, char *why, size_t whylen)
{
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, j->seg_first_lsn);
	if (j->opt.mode != JOURNAL_SYNC_NONE) {
		int rc = journal_io_datasync(j, j->seg_fd, name, why, whylen);
		if (rc != 0)
			return rc;
	}
	j->synced_lsn = next_lsn - 1;
	close(j->seg_fd);
	j->seg_fd = -1;
	int rc = journal_segment_create(j, next_lsn, why, whylen);
	if (rc != 0)
		return rc;
	if (journal_segment_list_add(j, next_lsn) != 0) {
		snprintf(why, whylen, "out of memory recording segment %" PRIu64, next_lsn);
		return -ENOMEM;
	}
	return 0;
}

/* Writes the encoded records in b (first one = first_lsn) to the current
 * segment, rolling to a new segment whenever the next record would not
 * fit. A record bigger than a whole segment gets a segment of its own. */
static int write_batch(journal_t *j, const journal_buf *b, uint64_t first_lsn, char *why, size_t whylen)
{
	char name[JOURNAL_SEG_NAME_LEN + 1];
	size_t pos = 0, chunk = 0;
	uint64_t lsn = first_lsn;
	uint64_t seg_pos = j->seg_pos;
	while (pos < b->len) {
		size_t rs = journal_rec_size(journal_get_u32(b->data + pos));
		if (seg_pos + rs > j->opt.segment_bytes && seg_pos > JOURNAL_SEG_HEADER_BYTES) {
			if (pos > chunk) {
				journal_seg_name(name, j->seg_first_lsn);
				int rc = journal_io_write_all(j, j->seg_fd, b->data + chunk, pos - chunk, name, why, whylen);
				if (rc != 0)
					return rc;
				j->seg_pos += pos - chunk;
			}
			int rc = roll_segment(j, lsn, why, whylen);
			if (rc != 0)
				return rc;
			chunk = pos;
			seg_pos = j->seg_pos;
		}
		seg_pos += rs;
		pos += rs;
		lsn++;
	}
	if (pos > chunk) {
		journal_seg_name(name, j->seg_first_lsn);
		int rc = journal_io_write_all(j, j->seg_fd, b->data + chunk, pos - chunk, name, why, whylen);
		if (rc != 0)
			return rc;
		j->seg_pos += pos - chunk;
	}
	return 0;
}

int journal_flush(journal_t *j, bool do_sync)
{
	char why[512] = "";
	int rc = 0;
	pthread_mutex_lock(&j->io_mu);
	pthread_mutex_lock(&j->mu);
	if (atomic_load(&j->failed)) {
		pthread_mutex_unlock(&j->mu);
		pthread_mutex_unlock(&j->io_mu);
		return -1;
	}
	/* Take the whole fill buffer; appends continue into the (empty) other one. */
	journal_buf tmp = j->fill;
	j->fill = j->io_buf;
	j->io_buf = tmp;
	j->pending_records = 0;
	uint64_t last = j->next_lsn - 1;
	pthread_mutex_unlock(&j->mu);

	if (j->io_buf.len > 0) {
		rc = write_batch(j, &j->io_buf, j->written_lsn + 1, why, sizeof why);
		if (rc == 0)
			j->written_lsn = last;
	}
	j->io_buf.len = 0;
	if (rc == 0) {
		if (j->opt.mode == JOURNAL_SYNC_NONE) {
			j->synced_lsn = j->written_lsn;
		} else if (do_sync && j->synced_lsn < j->written_lsn) {
			char name[JOURNAL_SEG_NAME_LEN + 1];
			journal_seg_name(name, j->seg_first_lsn);
			rc = journal_io_datasync(j, j->seg_fd, name, why, sizeof why);
			if (rc == 0)
				j->synced_lsn = j->written_lsn;
		}
	}

	pthread_mutex_lock(&j->mu);
	bool wake = false;
	if (rc != 0) {
		fail_locked(j, -rc, why);
		wake = j->pending.count > 0;
	} else if (j->synced_lsn > atomic_load(&j->durable_lsn)) {
		atomic_store(&j->durable_lsn, j->synced_lsn);
		journal_completion *front = journal_cq_front(&j->pending);
		wake = front && front->lsn <= j->synced_lsn;
	}
	pthread_mutex_unlock(&j->mu);
	if (wake)
		journal_notify(j);
	pthread_mutex_unlock(&j->io_mu);
	return rc != 0 ? -1 : 0;
}

/* Caller holds mu and has checked the size and FAILED state. */
static int encode_locked(journal_t *j, uint16_t type, int64_t ts_ns, const void *payload, size_t len,
                         uint64_t *lsn)
{
	size_t rs = journal_rec_size((uint32_t)len);
	if (journal_buf_reserve(&j->fill, rs) != 0)
		return -1;
	journal_rec_encode(j->fill.data + j->fill.len, type, 0, j->next_lsn, ts_ns, payload, (uint32_t)len);
	j->fill.len += rs;
	*lsn = j->next_lsn++;
	j->pending_records++;
	/* Wake the worker when it may be idle (first record) or when a batch
	 * is full; in between it is either waiting on a deadline or busy. */
	if (j->worker_running && (j->pending_records == 1 || j->pending_records == j->opt.batch_max_records))
		pthread_cond_signal(&j->work_cv);
	return 0;
}

static int check_append(journal_t *j, const void *payload, size_t len)
{
	if (len > JOURNAL_MAX_PAYLOAD) {
		journal_set_err(j, "payload of %zu bytes exceeds the journal limit of %u bytes", len, JOURNAL_MAX_PAYLOAD);
		return -1;
	}
	if (len > 0 && !payload) {
		journal_set_err(j, "payload is NULL but len is %zu", len);
		return -1;
	}
	return 0;
}

int journal_append(journal_t *j, uint16_t type, int64_t ts_ns, const void *payload, size_t len, uint64_t *lsn_out)
{
	if (check_append(j, payload, len) != 0)
		return -1;
	uint64_t lsn;
	pthread_mutex_lock(&j->mu);
	if (atomic_load(&j->failed)) {
		pthread_mutex_unlock(&j->mu);
		return -1;
	}
	if (encode_locked(j, type, ts_ns, payload, len, &lsn) != 0) {
		pthread_mutex_unlock(&j->mu);
		journal_set_err(j, "out of memory buffering a %zu-byte record", len);
		return -1;
	}
	bool worker = j->worker_running;
	size_t buffered = j->fill.len;
	pthread_mutex_unlock(&j->mu);
	if (lsn_out)
		*lsn_out = lsn;
	if (j->opt.mode == JOURNAL_SYNC_EACH)
		return journal_flush(j, true);
	if (!worker && buffered >= JOURNAL_WRITE_CHUNK)
		return journal_flush(j, false);
	return 0;
}

int journal_append_async(journal_t *j, uint16_t type, int64_t ts_ns, const void *payload, size_t len,
                         journal_done_fn done, void *arg, uint64_t *lsn_out)
{
	if (check_append(j, payload, len) != 0)
		return -1;
	if (!done) {
		journal_set_err(j, "journal_append_async needs a completion function");
		return -1;
	}
	uint64_t lsn;
	pthread_mutex_lock(&j->mu);
	if (atomic_load(&j->failed)) {
		pthread_mutex_unlock(&j->mu);
		return -1;
	}
	if (!j->worker_running && journal_worker_start(j) != 0) {
		pthread_mutex_unlock(&j->mu);
		journal_set_err(j, "cannot start the journal worker thread");
		return -1;
	}
	/* Reserve the completion slot first so nothing can fail after the
	 * record has taken its LSN. */
	if (journal_cq_reserve_one(&j->pending) != 0 || encode_locked(j, type, ts_ns, payload, len, &lsn) != 0) {
		pthread_mutex_unlock(&j->mu);
		journal_set_err(j, "out of memory buffering a %zu-byte record", len);
		return -1;
	}
	journal_completion c = { .lsn = lsn, .fn = done, .arg = arg, .status = 0 };
	journal_cq_push(&j->pending, &c);
	pthread_mutex_unlock(&j->mu);
	if (lsn_out)
		*lsn_out = lsn;
	return 0;
}

int journal_sync(journal_t *j)
{
	return journal_flush(j, true);
}

size_t journal_poll_completions(journal_t *j)
{
	uint64_t counter;
	ssize_t n = read(j->notify_fd, &counter, sizeof counter); /* drain first, then look */
	(void)n;
	size_t total = 0;
	pthread_mutex_lock(&j->mu);
	/* Deliver only what was appended before this call, so a callback that
	 * appends again cannot keep us here forever. */
	uint64_t limit = j->next_lsn - 1;
	pthread_mutex_unlock(&j->mu);
	for (;;) {
		journal_completion batch[64];
		size_t k = 0;
		pthread_mutex_lock(&j->mu);
		uint64_t durable = atomic_load(&j->durable_lsn);
		bool failed = atomic_load(&j->failed);
		journal_completion *c;
		while (k < 64 && (c = journal_cq_front(&j->pending)) != NULL && c->lsn <= limit &&
		       (c->lsn <= durable || failed)) {
			batch[k] = *c;
			batch[k].status = c->lsn <= durable ? 0 : -j->fail_errno;
			journal_cq_pop(&j->pending);
			k++;
		}
		pthread_mutex_unlock(&j->mu);
		if (k == 0)
			break;
		/* Callbacks run without the lock: they may append again. */
		for (size_t i = 0; i < k; i++)
			batch[i].fn(batch[i].arg, batch[i].lsn, batch[i].status);
		total += k;
	}
	return total;
}

int journal_notify_fd(const journal_t *j)
{
	return j->notify_fd;
}

uint64_t journal_durable_lsn(const journal_t *j)
{
	return atomic_load(&((journal_t *)j)->durable_lsn);
}

uint64_t journal_next_lsn(const journal_t *j)
{
	journal_t *m = (journal_t *)j;
	pthread_mutex_lock(&m->mu);
	uint64_t v = m->next_lsn;
	pthread_mutex_unlock(&m->mu);
	return v;
}

uint64_t journal_first_lsn(const journal_t *j)
{
	journal_t *m = (journal_t *)j;
	pthread_mutex_lock(&m->mu);
	uint64_t v = m->nsegs ? m->segs[0] : 1;
	pthread_mutex_unlock(&m->mu);
	return v;
}

bool journal_failed(const journal_t *j)
{
	return atomic_load(&((journal_t *)j)->failed);
}

const char *journal_error(const journal_t *j)
{
	/* fail_reason is written once, before `failed` is set, and never again. */
	if (journal_failed(j))
		return j->fail_reason;
	return j->err;
}

void journal_destroy(journal_t *j)
{
	if (j->seg_fd >= 0)
		close(j->seg_fd);
	if (j->notify_fd >= 0)
		close(j->notify_fd);
	if (j->dir_fd >= 0)
		close(j->dir_fd); /* releases the directory lock */
	journal_buf_free(&j->fill);
	journal_buf_free(&j->io_buf);
	journal_cq_free(&j->pending);
	journal_reader_free(&j->reader);
	pthread_cond_destroy(&j->work_cv);
	pthread_mutex_destroy(&j->io_mu);
	pthread_mutex_destroy(&j->mu);
	free(j->segs);
	free(j->dir);
	free(j);
}

int journal_close(journal_t *j)
{
	if (!j)
		return 0;
	if (j->worker_running)
		journal_worker_stop(j); /* the worker flushes what is left */
	if (!journal_failed(j))
		journal_flush(j, true);
	journal_poll_completions(j);
	int rc = 0;
	if (journal_failed(j)) {
		journal_logf(j, TH_LOG_ERROR, "%s: closed in FAILED state: %s", j->dir, j->fail_reason);
		rc = -1;
	}
	journal_destroy(j);
	return rc;
}
