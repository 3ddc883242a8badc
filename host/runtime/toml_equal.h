/* Structural equality of two TOML values (NULL equals NULL): used by reload
 * to tell whether an instance's configuration changed. */
#ifndef HOST_RUNTIME_TOML_EQUAL_H
#define HOST_RUNTIME_TOML_EQUAL_H

#include "config/toml.h"

int toml_equal(const toml_value *a, const toml_value *b);

#endif
