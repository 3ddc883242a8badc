#include "dd_math.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 dd_i128;

int dd_reached(int64_t level_ppm, th_money peak, th_money equity)
{
	if (level_ppm <= 0 || peak <= 0)
		return 0;
	/* (peak - equity) / peak >= level / 1e6  <=>  (peak - equity) * 1e6 >= level * peak (peak > 0) */
	dd_i128 lhs = ((dd_i128)peak - (dd_i128)equity) * 1000000;
	dd_i128 rhs = (dd_i128)level_ppm * (dd_i128)peak;
	return lhs >= rhs;
}

int dd_level_reached(const dd_config *c, int kind, th_money peak, th_money equity)
{
	for (int level = DD_KILL; level >= DD_SOFT; level--)
		if (dd_reached(c->level_ppm[kind][level - 1], peak, equity))
			return level;
	return DD_NONE;
}

int64_t dd_ppm(th_money peak, th_money equity)
{
	if (peak <= 0 || equity >= peak)
		return 0;
	dd_i128 v = ((dd_i128)peak - (dd_i128)equity) * 1000000 / peak;
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

th_money dd_effective_peak(const dd_scope *s, const th_wallet_stats *st, int peak_self)
{
	th_money p = s->peak;
	if (!peak_self && st->peak_equity > s->host_peak_floor && st->peak_equity > p)
		p = st->peak_equity;
	if (st->equity > p)
		p = st->equity;
	return p;
}

int dd_scale_qty(th_qty qty, int64_t scale_bps, th_qty lot, th_qty *out)
{
	if (lot <= 0 || qty < 0 || scale_bps < 0)
		return -1;
	dd_i128 scaled = (dd_i128)qty * scale_bps / 10000; /* rounds down: qty >= 0 */
	scaled -= scaled % lot;
	*out = (th_qty)scaled; /* <= qty since scale_bps <= 10000 is checked at create */
	return 0;
}

void dd_fmt_pct(int64_t ppm, char *buf, size_t cap)
{
	char tmp[48];
	if (th_fixed_format(ppm, 4, tmp, sizeof tmp) < 0) {
		snprintf(buf, cap, "?");
		return;
	}
	size_t n = strlen(tmp);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	snprintf(buf, cap, "%s", tmp);
}
