/* ta_moments.c — window allocation and the rare re-centring of the rolling moments. */
#include <string.h>

#include "ta_moments.h"

int th_ta__moments_init(th_ta_moments *m, uint32_t period)
{
	memset(m, 0, sizeof *m);
	int rc = th_ta__ring_init(&m->ring, period);
	if (rc != TH_TA_OK)
		return rc;
	m->period = period;
	return TH_TA_OK;
}

void th_ta__moments_free(th_ta_moments *m)
{
	th_ta__ring_free(&m->ring);
	memset(m, 0, sizeof *m);
}

void th_ta__moments_clear(th_ta_moments *m)
{
	ta_ring_clear(&m->ring);
	m->shift = 0.0;
	ta_ksum_clear(&m->s1);
	ta_ksum_clear(&m->s2);
}

void th_ta__moments_recentre(th_ta_moments *m)
{
	double c = m->shift + ta_ksum_value(&m->s1) / (double)m->period;
	th_ta_ksum s1 = { 0.0, 0.0, 0.0 }, s2 = { 0.0, 0.0, 0.0 };

	/* Recompute with the same expression ta_moments_push uses when a value leaves
	 * (x - shift), so later removals subtract exactly what is in the sums. */
	for (uint32_t i = 0; i < m->ring.count; i++) {
		double d = m->ring.buf[i] - c;
		ta_ksum_add(&s1, d);
		ta_ksum_add(&s2, d * d);
	}
	m->shift = c;
	m->s1 = s1;
	m->s2 = s2;
}
