/*
 * tiny.c — the smallest real plugin-shaped .so for the image_open()/dlopen() tests.
 * Built twice with different TINY_ANSWER values so a test can tell which build got loaded.
 */
#ifndef TINY_ANSWER
#error "build with -DTINY_ANSWER=<int>"
#endif

__attribute__((visibility("default"))) int trust_tiny_answer(void);

int trust_tiny_answer(void)
{
	return TINY_ANSWER;
}
