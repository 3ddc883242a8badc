/* bus_ring — allocation of the bus queue; the push/pop fast path is inline in bus_ring.h. */
#include "bus/bus_ring.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Cache-line aligned so a record at offset 0 starts a line (fewer lines touched per event). */
#define BUS_RING_LINE 64u

int bus_ring_init(bus_ring *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	if (cap == 0 || cap > SIZE_MAX - BUS_RING_LINE)
		return -1;
	cap = (cap + BUS_RING_LINE - 1) & ~(size_t)(BUS_RING_LINE - 1);
	r->buf = aligned_alloc(BUS_RING_LINE, cap);
	if (!r->buf)
		return -1;
	r->cap = cap;
	return 0;
}

void bus_ring_free(bus_ring *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
