/*
 * Replay reads the segment files again (not an in-memory copy), so what the
 * OMS rebuilds from is exactly what survives a restart. Records are checked
 * again on the way: damage that appeared since open is reported, not fed
 * to the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal/journal_internal.h"

static int replay_segment(journal_t *j, uint64_t first, uint64_t from, uint64_t limit, uint64_t *expect,
                          int (*fn)(void *, const journal_record *), void *arg)
{
	char name[JOURNAL_SEG_NAME_LEN + 1], why[256];
	journal_seg_name(name, first);
	int fd = openat(j->dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		journal_set_err(j, "replay: cannot open %s/%s: %s", j->dir, name, strerror(errno));
		return -1;
	}
	journal_reader_attach(&j->reader, fd);
	*expect = first;
	uint64_t off = JOURNAL_SEG_HEADER_BYTES;
	int rc = 0;
	while (*expect <= limit) {
		journal_rec_header h;
		const uint8_t *payload;
		journal_rec_status st = journal_read_record(&j->reader, off, *expect, &h, &payload, why, sizeof why);
		if (st == JOURNAL_REC_END)
			break;
		if (st != JOURNAL_REC_OK) {
			journal_set_err(j, "replay: %s/%s: bad record at offset %" PRIu64 " (LSN %" PRIu64 "): %s", j->dir, name,
			                off, *expect, why);
			rc = -1;
			break;
		}
		if (h.lsn >= from) {
			journal_record r = {
				.lsn = h.lsn, .ts_ns = h.ts_ns, .type = h.type, .flags = h.flags, .len = h.len, .payload = payload,
			};
			rc = fn(arg, &r);
			if (rc != 0)
				break;
		}
		off += journal_rec_size(h.len);
		(*expect)++;
	}
	close(fd);
	return rc;
}

int journal_replay(journal_t *j, uint64_t from_lsn, int (*fn)(void *arg, const journal_record *r), void *arg)
{
	if (!fn) {
		journal_set_err(j, "journal_replay needs a callback");
		return -1;
	}
	/* Only durable records: they are completely written, so reading them
	 * while the worker appends further is safe. */
	uint64_t limit = journal_durable_lsn(j);
	pthread_mutex_lock(&j->mu);
	size_t n = j->nsegs;
	uint64_t *segs = malloc((n ? n : 1) * sizeof *segs);
	if (segs)
		memcpy(segs, j->segs, n * sizeof *segs);
	pthread_mutex_unlock(&j->mu);
	if (!segs) {
		journal_set_err(j, "replay: out of memory");
		return -1;
	}
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (segs[i] <= from_lsn)
			start = i;
	int rc = 0;
	uint64_t expect = n ? segs[start] : 1;
	for (size_t i = start; i < n && segs[i] <= limit && rc == 0; i++) {
		if (segs[i] != expect && i > start) {
			journal_set_err(j, "replay: LSN gap before segment %" PRIu64 " (previous ended at %" PRIu64 ")", segs[i],
			                expect - 1);
			rc = -1;
			break;
		}
		rc = replay_segment(j, segs[i], from_lsn, limit, &expect, fn, arg);
	}
	if (rc == 0 && expect <= limit && from_lsn <= limit) {
		journal_set_err(j, "replay: records end at LSN %" PRIu64 " but LSN %" PRIu64 " is durable", expect - 1, limit);
		rc = -1;
	}
	free(segs);
	return rc;
}
