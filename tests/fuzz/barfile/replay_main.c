/*
 * Replay driver for compilers without libFuzzer: every file named on the
 * command line, or found in a named folder, goes once through
 * LLVMFuzzerTestOneInput. Under the sanitizer build this checks the seed
 * corpus for memory errors.
 */
#include "fuzz_barfile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int one_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return -1;
	}
	struct stat st;
	if (fstat(fileno(fp), &st) != 0) {
		fclose(fp);
		return -1;
	}
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, fp) != len) {
		free(buf);
		fclose(fp);
		fprintf(stderr, "%s: cannot read\n", path);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int walk(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return one_file(path);
	}
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	int rc = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char child[4096];
		snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		rc |= walk(child, count);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	size_t count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= walk(argv[i], &count);
	printf("fuzz_barfile replay: %zu inputs\n", count);
	return rc != 0 || count == 0;
}
