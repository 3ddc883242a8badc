#include "journal_test_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/journal_format.h"

char *tj_mkdtemp(void)
{
	char tmpl[] = "/tmp/thjrnl-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		abort();
	}
	return strdup(tmpl);
}

void tj_rmrf(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				tj_rmrf(p);
			else
				unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

void tj_log_fn(void *arg, int level, const char *msg)
{
	(void)level;
	tj_log *l = arg;
	if (l->n < 64)
		snprintf(l->lines[l->n++], sizeof l->lines[0], "%s", msg);
}

bool tj_log_contains(const tj_log *l, const char *needle)
{
	for (int i = 0; i < l->n; i++)
		if (strstr(l->lines[i], needle))
			return true;
	return false;
}

void tj_log_clear(tj_log *l)
{
	l->n = 0;
}

static ssize_t fault_write(void *ctx, int fd, const void *buf, size_t len)
{
	tj_faults *f = ctx;
	int n = ++f->writes;
	int e = f->fail_errno ? f->fail_errno : EIO;
	if (f->disk_full) {
		errno = ENOSPC;
		return -1;
	}
	if (n == f->eintr_write_at) {
		errno = EINTR;
		return -1;
	}
	if (n == f->fail_write_at) {
		errno = e;
		return -1;
	}
	if (n == f->partial_write_at && len > 1)
		return write(fd, buf, len / 2);
	if (n == f->short_write_at && len > 1) {
		f->disk_full = true;
		return write(fd, buf, len / 2);
	}
	return write(fd, buf, len);
}

static int fault_fdatasync(void *ctx, int fd)
{
	tj_faults *f = ctx;
	if (++f->datasyncs == f->fail_datasync_at) {
		errno = f->fail_errno ? f->fail_errno : EIO;
		return -1;
	}
	return fdatasync(fd);
}

static int fault_fsync(void *ctx, int fd)
{
	tj_faults *f = ctx;
	if (++f->fsyncs == f->fail_fsync_at) {
		errno = f->fail_errno ? f->fail_errno : EIO;
		return -1;
	}
	return fsync(fd);
}

journal_io_ops tj_fault_ops(tj_faults *f)
{
	journal_io_ops ops = { .write = fault_write, .fdatasync = fault_fdatasync, .fsync = fault_fsync, .ctx = f };
	return ops;
}

size_t tj_payload(uint64_t lsn, uint8_t *buf, size_t max)
{
	size_t len = 1 + (size_t)((lsn * 37u) % (max < TJ_PAYLOAD_MAX ? max : TJ_PAYLOAD_MAX));
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(((lsn * 131u + i * 7u) % 255u) + 1u); /* 1..255, never 0 */
	return len;
}

uint16_t tj_type_for(uint64_t lsn)
{
	return (uint16_t)(lsn % 7u + 1u);
}

int64_t tj_ts_for(uint64_t lsn)
{
	return (int64_t)lsn * 1000003 - 5; /* arbitrary, distinct per LSN */
}

int tj_collect_fn(void *arg, const journal_record *r)
{
	tj_collect *c = arg;
	uint8_t want[TJ_PAYLOAD_MAX];
	size_t wl = tj_payload(r->lsn, want, sizeof want);
	if (c->count > 0 && r->lsn != c->last + 1)
		c->gaps++;
	if (c->count == 0)
		c->first = r->lsn;
	c->last = r->lsn;
	c->count++;
	if (r->len != wl || memcmp(r->payload, want, wl) != 0 || r->type != tj_type_for(r->lsn) ||
	    r->ts_ns != tj_ts_for(r->lsn) || r->flags != 0)
		c->mismatches++;
	if (c->stop_after > 0 && c->count == (uint64_t)c->stop_after)
		return 7;
	return 0;
}

int tj_replay(journal_t *j, uint64_t from_lsn, tj_collect *c)
{
	memset(c, 0, sizeof *c);
	return journal_replay(j, from_lsn, tj_collect_fn, c);
}

int tj_append_n(journal_t *j, uint64_t n)
{
	uint8_t buf[TJ_PAYLOAD_MAX];
	for (uint64_t i = 0; i < n; i++) {
		uint64_t lsn = journal_next_lsn(j), got = 0;
		size_t len = tj_payload(lsn, buf, sizeof buf);
		int rc = journal_append(j, tj_type_for(lsn), tj_ts_for(lsn), buf, len, &got);
		if (rc != 0)
			return rc;
		if (got != lsn)
			return -100;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t tj_segments(const char *dir, uint64_t *out, size_t max)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		uint64_t lsn;
		if (journal_seg_name_parse(e->d_name, &lsn) && n < max)
			out[n++] = lsn;
	}
	closedir(d);
	qsort(out, n, sizeof *out, cmp_u64);
	return n;
}

void tj_seg_path(char *out, size_t outlen, const char *dir, uint64_t first_lsn)
{
	char name[JOURNAL_SEG_NAME_LEN + 1];
	journal_seg_name(name, first_lsn);
	snprintf(out, outlen, "%s/%s", dir, name);
}

uint8_t *tj_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(sz > 0 ? (size_t)sz : 1);
	size_t got = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	*len = got;
	return buf;
}

void tj_write_file(const char *path, const uint8_t *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		abort();
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n <= 0) {
			perror("write");
			abort();
		}
		done += (size_t)n;
	}
	close(fd);
}

size_t tj_record_offsets(const uint8_t *seg, size_t len, uint64_t *offs, size_t max)
{
	size_t n = 0;
	uint64_t off = JOURNAL_SEG_HEADER_BYTES;
	while (off + JOURNAL_REC_HEADER_BYTES <= len && n < max) {
		if (journal_all_zero(seg + off, JOURNAL_REC_HEADER_BYTES))
			break;
		uint32_t plen = journal_get_u32(seg + off);
		if (off + journal_rec_size(plen) > len)
			break;
		offs[n++] = off;
		off += journal_rec_size(plen);
	}
	return n;
}
