/* Tiny test reporting for host unit tests: one PASS/FAIL line per case. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H
#include <stdio.h>

static int check_failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("  %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__); printf("\n"); \
		check_failures++; \
	} } while (0)

/* Run one case; print its verdict from the checks it made. */
#define RUN_CASE(prefix, fn) do { \
	int before_ = check_failures; fn(); \
	if (check_failures == before_) printf("PASS %s: %s\n", prefix, #fn); \
	else printf("FAIL %s: %s: %d checks failed\n", prefix, #fn, check_failures - before_); \
	fflush(stdout); } while (0)

#endif
