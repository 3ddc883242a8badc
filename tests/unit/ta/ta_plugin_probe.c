/*
 * ta_plugin_probe — a shared object linked like a plugin (-z defs) against th_ta, to check
 * that the library is position-independent and that none of its symbols leak out of the
 * plugin (hidden visibility): two plugins carrying their own copies must not interpose.
 */
#include <tradehost/th_ta.h>

__attribute__((visibility("default"))) double ta_probe(void);

__attribute__((visibility("default"))) double ta_probe(void)
{
	th_ta_sma s;
	double v = 0;
	if (th_ta_sma_init(&s, 2, NULL) != TH_TA_OK)
		return -1;
	th_ta_sma_update(&s, 1.0, &v);
	th_ta_sma_update(&s, 3.0, &v);
	th_ta_sma_free(&s);
	return v;
}
