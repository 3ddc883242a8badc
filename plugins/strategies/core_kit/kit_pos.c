/* core_kit — position and average entry from fills. */
#include "kit_pos.h"

#include <string.h>

th_qty kit_pos_apply(kit_pos *p, uint32_t side, th_price px, th_qty qty)
{
	__extension__ typedef __int128 i128;
	th_qty before = p->qty;
	th_qty delta = side == TH_SIDE_BUY ? qty : -qty;
	th_qty after = before + delta;
	if (after == 0) {
		p->avg = 0;
	} else if (before == 0 || (before > 0) != (after > 0)) {
		p->avg = px; /* opened, or flipped: the remainder was entered at this price */
	} else if ((before > 0) == (delta > 0)) {
		/* adding: quantity-weighted average */
		i128 a = before > 0 ? before : -before, d = qty;
		p->avg = (th_price)(((i128)p->avg * a + (i128)px * d) / (a + d));
	} /* reducing: the average of what remains is unchanged */
	p->qty = after;
	return before;
}

int kit_pos_from_host(const th_host_api *api, th_ctx *ctx, const char *venue, const char *symbol,
	int32_t price_scale, int32_t qty_scale, kit_pos *out)
{
	th_position pos[64];
	if (!api || !TH_HOST_HAS(api, positions))
		return 0;
	size_t n = api->positions(ctx, api->instance_name(ctx), pos, 64);
	if (n > 64)
		n = 64; /* an agent of these strategies trades one or two symbols */
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(pos[i].venue, venue) != 0 || strcmp(pos[i].symbol, symbol) != 0)
			continue;
		if (pos[i].price_scale != price_scale || pos[i].qty_scale != qty_scale)
			return 0;
		out->qty = pos[i].qty;
		out->avg = pos[i].qty ? pos[i].avg_price : 0;
	}
	return 1;
}
