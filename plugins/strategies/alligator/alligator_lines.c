/* alligator_lines — shifted SMMA lines and fractals (see alligator_lines.h). */
#include "alligator_lines.h"

#include <stdio.h>
#include <string.h>

int allig_line_init(allig_line *l, uint32_t period, uint32_t shift, th_ta_error *err)
{
	memset(l, 0, sizeof *l);
	if (shift > ALLIGATOR_MAX_SHIFT) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "shift must be in 0..%d, got %u", ALLIGATOR_MAX_SHIFT, shift);
		return TH_TA_EPARAM;
	}
	int rc = th_ta_smma_init(&l->smma, period, err);
	if (rc != TH_TA_OK)
		return rc;
	l->period = period;
	l->shift = shift;
	return TH_TA_OK;
}

int allig_line_update(allig_line *l, double median, double *out)
{
	double v;
	int rc = th_ta_smma_update(&l->smma, median, &v);
	if (rc != 1)
		return rc;
	l->hist[l->n % (ALLIGATOR_MAX_SHIFT + 1)] = v;
	l->n++;
	if (l->n <= l->shift)
		return 0;
	/* shifted forward: what the SMMA said `shift` bars ago is plotted here */
	*out = l->hist[(l->n - 1 - l->shift) % (ALLIGATOR_MAX_SHIFT + 1)];
	return 1;
}

int allig_fractals_update(allig_fractals *f, th_price high, th_price low, th_price *up, th_price *down)
{
	if (f->n >= 5) {
		memmove(f->hi, f->hi + 1, 4 * sizeof f->hi[0]);
		memmove(f->lo, f->lo + 1, 4 * sizeof f->lo[0]);
		f->hi[4] = high;
		f->lo[4] = low;
	} else {
		f->hi[f->n] = high;
		f->lo[f->n] = low;
	}
	f->n++;
	if (f->n < 5)
		return 0;
	int found = 0;
	if (f->hi[2] > f->hi[0] && f->hi[2] > f->hi[1] && f->hi[2] > f->hi[3] && f->hi[2] > f->hi[4]) {
		*up = f->hi[2];
		found |= ALLIG_FRACTAL_UP;
	}
	if (f->lo[2] < f->lo[0] && f->lo[2] < f->lo[1] && f->lo[2] < f->lo[3] && f->lo[2] < f->lo[4]) {
		*down = f->lo[2];
		found |= ALLIG_FRACTAL_DOWN;
	}
	return found;
}
