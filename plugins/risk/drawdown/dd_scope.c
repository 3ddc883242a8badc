/* drawdown — small facts about scopes and levels shared by check and eval. */
#include "dd_internal.h"

const char *dd_kind_name(int kind)
{
	return kind == DD_AGENT ? "agent" : kind == DD_FARM ? "farm" : "host";
}

const char *dd_level_name(int level)
{
	return level == DD_SOFT ? "soft" : level == DD_HARD ? "hard" : level == DD_KILL ? "kill" : "none";
}

const char *dd_wallet_of(const dd_scope *s)
{
	return s->kind == DD_HOST ? "total" : s->name;
}

int dd_th_scope(int kind)
{
	return kind == DD_AGENT ? TH_SCOPE_AGENT : kind == DD_FARM ? TH_SCOPE_FARM : TH_SCOPE_HOST;
}

int dd_kind_enabled(const dd_config *c, int kind)
{
	return c->level_ppm[kind][0] > 0 || c->level_ppm[kind][1] > 0 || c->level_ppm[kind][2] > 0;
}

int dd_highest_latched(const dd_scope *s)
{
	for (int level = DD_KILL; level >= DD_SOFT; level--)
		if (s->latched & DD_BIT(level))
			return level;
	return DD_NONE;
}
