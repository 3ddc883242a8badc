/*
 * tradehost SDK — LLM providers.
 *
 * A provider turns a chat request into text, asynchronously through the
 * host's I/O. Its output only ever becomes an intent that passes the same
 * risk pipeline as every other. The table may grow through minor versions.
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_LLM_H
#define TRADEHOST_TH_LLM_H

#include <stddef.h>
#include <stdint.h>

/* Completion callback: `text` is borrowed for the call; status is a th_status. */
typedef void (*th_llm_done_fn)(void *arg, int status, const char *text, size_t len);

typedef struct th_llm_api {
	uint32_t struct_size; /* sizeof(th_llm_api) as compiled */
	/* Mandatory. `request_json` (an OpenAI-style chat request) is borrowed for
	 * the call; `done` is called exactly once, later, on the loop thread. */
	int (*complete)(void *instance, const char *request_json, size_t len, th_llm_done_fn done, void *arg);
} th_llm_api;

#endif
