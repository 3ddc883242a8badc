/* The JSON Patch fuzz entry point, shared by the libFuzzer build and the replay driver. */
#ifndef TRADEHOST_TESTS_FUZZ_JSON_PATCH_H
#define TRADEHOST_TESTS_FUZZ_JSON_PATCH_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
