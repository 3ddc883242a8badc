#include "rb_pipeline.h"

#include <string.h>
#include <time.h>

int64_t rb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void rb_pipeline_run(const rb_stage *stages, size_t n, const th_event *intent, rb_result *out)
{
	th_risk_verdict *v = &out->verdict;
	out->approved = 0;
	out->ran = 0;
	out->max_qty = 0;
	out->stamp[0] = rb_now_ns();
	for (size_t i = 0; i < n; i++) {
		memset(v, 0, sizeof *v);
		int rc = stages[i].api->check(stages[i].inst, intent, v);
		out->stamp[++out->ran] = rb_now_ns();
		if (rc != TH_OK) {
			memset(v, 0, sizeof *v);
			v->reason_code = TH_RISK_ERROR; /* fail closed, as the host does */
			return;
		}
		if (!v->approved) {
			if (v->reason_code == TH_RISK_APPROVED)
				v->reason_code = TH_RISK_ERROR; /* a denial must say why */
			return;
		}
		if (v->max_qty > 0 && (out->max_qty == 0 || v->max_qty < out->max_qty))
			out->max_qty = v->max_qty;
	}
	memset(v, 0, sizeof *v);
	v->approved = 1;
	out->approved = 1;
}

/* In its own translation unit and reached through a table filled at run
 * time, so the compiler cannot inline it into the loop: the baseline pays
 * the same indirect call a plugin's check() does. */
static int trivial_check(void *instance, const th_event *intent, th_risk_verdict *verdict)
{
	(void)instance;
	(void)intent;
	verdict->approved = 1;
	return TH_OK;
}

const th_risk_api rb_trivial_api = { .struct_size = sizeof(th_risk_api), .check = trivial_check };
