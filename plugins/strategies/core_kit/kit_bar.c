/* core_kit — bar sanity checks (see kit_bar.h). */
#include "kit_bar.h"

const char *kit_bar_problem(const th_bar *b, int32_t known_ps, int32_t known_qs)
{
	if (b->price_scale < 0 || b->price_scale > TH_SCALE_MAX || b->qty_scale < 0 || b->qty_scale > TH_SCALE_MAX)
		return "scale outside 0..18";
	if (known_ps >= 0 && (b->price_scale != known_ps || b->qty_scale != known_qs))
		return "scales differ from the earlier bars";
	if (!(b->low > 0 && b->low <= b->high && b->open >= b->low && b->open <= b->high && b->close >= b->low &&
			b->close <= b->high))
		return "inconsistent OHLC (need 0 < low <= open, close <= high)";
	if (b->volume < 0)
		return "negative volume";
	return NULL;
}
