/* core_kit — position and average entry from fills. */
#include "kit_pos.h"

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
