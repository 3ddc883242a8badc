#include "common/money_text.h"

#include <stdio.h>
#include <string.h>

void fixed_text(int64_t v, int32_t scale, char *buf, size_t cap)
{
	if (th_fixed_format(v, scale, buf, cap) < 0)
		snprintf(buf, cap, "%s", "0");
}

void money_text(th_money v, char *buf, size_t cap)
{
	fixed_text(v, TH_MONEY_SCALE, buf, cap);
	/* Eight decimals make tables noisy: keep the significant ones, at least
	 * two, as money is usually read. */
	char *dot = strchr(buf, '.');
	if (!dot)
		return;
	size_t n = strlen(buf), keep = (size_t)(dot - buf) + 3;
	while (n > keep && buf[n - 1] == '0')
		buf[--n] = '\0';
}
