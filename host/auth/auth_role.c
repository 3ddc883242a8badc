/* Role names: the token file, the CLI and 403 messages all spell them this way. */
#include "auth/auth.h"

#include <string.h>

const char *auth_role_name(auth_role r)
{
	switch (r) {
	case AUTH_PUBLIC: return "public";
	case AUTH_VIEWER: return "viewer";
	case AUTH_TRADER: return "trader";
	case AUTH_ADMIN: return "admin";
	}
	return "unknown";
}

int auth_role_parse(const char *s, auth_role *out)
{
	static const auth_role roles[] = { AUTH_VIEWER, AUTH_TRADER, AUTH_ADMIN };
	for (size_t i = 0; s && i < sizeof roles / sizeof roles[0]; i++) {
		if (strcmp(s, auth_role_name(roles[i])) == 0) {
			*out = roles[i];
			return 0;
		}
	}
	return -1;
}
