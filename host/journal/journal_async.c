/*
 * The group-commit worker. It owns no state of its own: it waits until a
 * batch is due, then runs the same journal_flush(do_sync) the owner thread
 * would, so there is exactly one write/sync path to get right.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "journal/journal_internal.h"

static void deadline_after_us(struct timespec *ts, int64_t us)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	int64_t ns = (int64_t)ts->tv_nsec + (us % 1000000) * 1000;
	ts->tv_sec += (time_t)(us / 1000000 + ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

static void *worker_main(void *arg)
{
	journal_t *j = arg;
	pthread_mutex_lock(&j->mu);
	for (;;) {
		if (atomic_load(&j->failed))
			break; /* nothing can become durable any more */
		if (j->pending_records == 0) {
			if (j->stop)
				break;
			pthread_cond_wait(&j->work_cv, &j->mu);
			continue;
		}
		/* SYNC_EACH syncs at once; batches still form from the records
		 * that arrive while an fdatasync is in flight. SYNC_BATCH (and
		 * NONE) wait for a full batch or the delay, whichever is first;
		 * the delay runs from when the worker first saw a pending record,
		 * so appenders never have to read the clock. */
		if (j->opt.mode != JOURNAL_SYNC_EACH && !j->stop && j->pending_records < j->opt.batch_max_records) {
			struct timespec deadline;
			deadline_after_us(&deadline, j->opt.batch_max_delay_us);
			while (!j->stop && !atomic_load(&j->failed) && j->pending_records < j->opt.batch_max_records) {
				if (pthread_cond_timedwait(&j->work_cv, &j->mu, &deadline) == ETIMEDOUT)
					break;
			}
		}
		pthread_mutex_unlock(&j->mu);
		journal_flush(j, true);
		pthread_mutex_lock(&j->mu);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

int journal_worker_start(journal_t *j)
{
	j->stop = false;
	/* The worker inherits a fully blocked signal mask so process signals
	 * (SIGINT, SIGTERM, SIGPIPE...) keep going to the event-loop thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&j->worker, NULL, worker_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return -1;
	j->worker_running = true;
	return 0;
}

void journal_worker_stop(journal_t *j)
{
	pthread_mutex_lock(&j->mu);
	j->stop = true;
	pthread_cond_signal(&j->work_cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->worker, NULL);
	pthread_mutex_lock(&j->mu);
	j->worker_running = false;
	pthread_mutex_unlock(&j->mu);
}
