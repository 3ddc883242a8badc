/* Rebalancing a scope's children to target weights (fixed, equal, Sharpe,
 * inverse volatility). Weights are doubles only until they become integer
 * parts per 10^9; every amount is then computed in fixed point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "ledger/capital_internal.h"

#define CAP_PPB 1000000000.0

/* Score of one child's recent returns: >= 0, or -1 when it has too little
 * history (or no measurable volatility) and so gets the equal share. */
static double cap_perf_score(const capital_t *c, const cap_wallet *w, int rule, double *scratch)
{
	size_t n = cap_curve_returns(&w->curve, scratch, (size_t)c->lookback);
	if (n < (size_t)c->min_history)
		return -1;
	double mean = 0, var = 0;
	for (size_t i = 0; i < n; i++)
		mean += scratch[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		var += (scratch[i] - mean) * (scratch[i] - mean);
	var /= (double)(n - 1);
	double sd = sqrt(var);
	if (!(sd > 0) || !isfinite(sd))
		return -1;
	if (rule == CAPITAL_RULE_PERF_SHARPE) {
		double s = mean / sd;
		return s > 0 && isfinite(s) ? s : 0;
	}
	double s = 1.0 / sd;
	return isfinite(s) ? s : -1;
}

/* Fills w[0..n) with the weights of the rule; returns TH_OK or an error. */
static int cap_weights(const capital_t *c, const int32_t *kids, size_t n, int rule, const double *given, size_t ngiven,
	double *w, char *err, size_t errlen)
{
	switch (rule) {
	case CAPITAL_RULE_FIXED:
		if (given && ngiven != n) {
			cap_err(err, errlen, "rebalance: %zu weights given for %zu children", ngiven, n);
			return TH_ERR_INVALID;
		}
		for (size_t i = 0; i < n; i++) {
			w[i] = given ? given[i] : c->w[kids[i]].weight;
			if (!isfinite(w[i]) || w[i] < 0) {
				cap_err(err, errlen, "rebalance: weight of '%s' must be finite and >= 0", c->w[kids[i]].name);
				return TH_ERR_INVALID;
			}
		}
		return TH_OK;
	case CAPITAL_RULE_EQUAL:
		for (size_t i = 0; i < n; i++)
			w[i] = 1.0;
		return TH_OK;
	case CAPITAL_RULE_PERF_SHARPE:
	case CAPITAL_RULE_PERF_INVVOL: {
		double *scratch = malloc((size_t)c->lookback * sizeof *scratch);
		if (!scratch) {
			cap_err(err, errlen, "out of memory computing weights");
			return TH_ERR_NOMEM;
		}
		size_t scored = 0;
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = cap_perf_score(c, &c->w[kids[i]], rule, scratch);
			if (w[i] >= 0) {
				scored++;
				sum += w[i];
			}
		}
		free(scratch);
		/* Unscored children: 1/n each. Scored ones share scored/n in
		 * proportion to their scores (equally if all scores are 0). */
		for (size_t i = 0; i < n; i++) {
			if (w[i] < 0)
				w[i] = 1.0 / (double)n;
			else if (sum > 0)
				w[i] = (double)scored / (double)n * (w[i] / sum);
			else
				w[i] = 1.0 / (double)n;
		}
		return TH_OK;
	}
	default:
		cap_err(err, errlen, "rebalance: unknown rule %d (1 fixed, 2 equal, 3 Sharpe, 4 inverse volatility)", rule);
		return TH_ERR_INVALID;
	}
}

int capital_rebalance(capital_t *c, const char *scope, int rule, const double *weights, size_t nweights, int64_t now_ns,
	char *err, size_t errlen)
{
	int32_t si = cap_wallet_find(c, scope);
	if (si < 0 || c->w[si].kind == CAPITAL_KIND_AGENT) {
		cap_err(err, errlen, "rebalance: '%s' is neither the master wallet nor a farm", scope ? scope : "");
		return TH_ERR_NOT_FOUND;
	}
	size_t n = 0;
	for (size_t i = 0; i < c->nw; i++)
		if (c->w[i].parent == si)
			n++;
	if (n == 0) {
		cap_err(err, errlen, "rebalance: '%s' has no %s", scope, si == CAP_MASTER ? "farms" : "agents");
		return TH_ERR_INVALID;
	}
	int32_t *kids = calloc(n, sizeof *kids);
	double *w = calloc(n, sizeof *w);
	int64_t *ppb = calloc(n, sizeof *ppb);
	th_money *eq = calloc(n, sizeof *eq), *net = calloc(n, sizeof *net);
	ledger_posting *p = calloc(n + 1, sizeof *p);
	int rc = TH_ERR_NOMEM;
	if (!kids || !w || !ppb || !eq || !net || !p) {
		cap_err(err, errlen, "out of memory rebalancing '%s'", scope);
		goto out;
	}
	n = 0;
	for (size_t i = 0; i < c->nw; i++)
		if (c->w[i].parent == si)
			kids[n++] = (int32_t)i;
	rc = cap_weights(c, kids, n, rule, weights, nweights, w, err, errlen);
	if (rc != TH_OK)
		goto out;
	double wsum = 0;
	for (size_t i = 0; i < n; i++)
		wsum += w[i];
	int64_t ppb_sum = 0;
	for (size_t i = 0; i < n && wsum > 0; i++) {
		ppb[i] = (int64_t)(w[i] / wsum * CAP_PPB + 0.5);
		ppb_sum += ppb[i];
	}
	if (ppb_sum <= 0) {
		cap_err(err, errlen, "rebalance '%s': every weight is zero", scope);
		rc = TH_ERR_INVALID;
		goto out;
	}
	th_money scope_cash = cap_cash(c, &c->w[si]);
	cap_i128 total = scope_cash;
	for (size_t i = 0; i < n; i++) {
		eq[i] = cap_wallet_equity(c, kids[i]);
		total += eq[i];
	}
	/* Pull back surplus cash, then hand out what the scope holds. */
	cap_i128 avail = scope_cash, deficit_sum = 0;
	for (size_t i = 0; i < n; i++) {
		cap_i128 target = total > 0 ? total * ppb[i] / ppb_sum : 0;
		cap_i128 diff = target - eq[i];
		if (diff < 0) {
			cap_i128 cash = cap_cash(c, &c->w[kids[i]]);
			cap_i128 pull = -diff < cash ? -diff : cash;
			net[i] = -(th_money)pull;
			avail += pull;
		} else {
			net[i] = cap_sat(diff); /* a deficit for now; scaled below */
			deficit_sum += diff;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (net[i] <= 0)
			continue;
		if (deficit_sum > avail)
			net[i] = (th_money)((cap_i128)net[i] * avail / deficit_sum);
	}
	size_t np = 0;
	cap_i128 to_scope = 0;
	for (size_t i = 0; i < n; i++) {
		if (net[i] == 0)
			continue;
		p[np++] = (ledger_posting){ c->w[kids[i]].acct_cash, net[i] };
		to_scope -= net[i];
	}
	rc = TH_OK;
	if (np > 0) {
		p[np++] = (ledger_posting){ c->w[si].acct_cash, cap_sat(to_scope) };
		rc = cap_post(c, p, np, "rebalance", err, errlen);
		if (rc != TH_OK)
			goto out;
		for (size_t i = 0; i < n; i++) {
			if (net[i] > 0)
				cap_note_transfer(c, si, kids[i], net[i], 1);
			else if (net[i] < 0)
				cap_note_transfer(c, kids[i], si, -net[i], 1);
		}
	}
	c->w[si].last_rebalance_ns = now_ns;
out:
	free(kids);
	free(w);
	free(ppb);
	free(eq);
	free(net);
	free(p);
	return rc;
}
