/*
 * ksm_probe: builds a page layout in real memory for Linux KSM and prints its counters.
 * Reads commands from stdin, one per line:
 *   map P0 P1 ...        regions of P0, P1, ... pages, one anonymous mapping, in address order
 *   fill R FIRST N TOKEN STEP
 *                        pages FIRST..FIRST+N-1 of region R: page FIRST+k holds the 64-bit word
 *                        TOKEN + k*STEP repeated (TOKEN + k*STEP = 0: a page of zeros)
 *   merge                madvise(MADV_MERGEABLE) over all regions; full scans count from here
 *   scans N              wait until N full scans have completed since merge
 *   print LABEL          LABEL then every counter as key=value, on one line
 * The KSM settings are the caller's to set and restore. Exit 1 with a line on stderr on error.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096L
#define MAX_REGIONS 64
static const char *COUNTERS[] = {"pages_shared", "pages_sharing", "pages_unshared", "pages_volatile",
                                 "full_scans", "general_profit", "stable_node_chains", "stable_node_dups",
                                 "ksm_zero_pages"};

static char *base;
static long total;
static long first_page[MAX_REGIONS + 1];
static int regions;
static long scans_at_merge;

static long counter(const char *name) {
  char path[128];
  snprintf(path, sizeof path, "/sys/kernel/mm/ksm/%s", name);
  FILE *f = fopen(path, "r");
  long v;
  if (!f || fscanf(f, "%ld", &v) != 1) {
    fprintf(stderr, "ksm_probe: cannot read %s\n", path);
    exit(1);
  }
  fclose(f);
  return v;
}

static void fail(const char *what, const char *line) {
  fprintf(stderr, "ksm_probe: %s: %s", what, line);
  exit(1);
}

int main(void) {
  char line[1 << 16];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    char cmd[16];
    if (sscanf(line, "%15s", cmd) != 1) {
      continue;
    }
    if (!strcmp(cmd, "map")) {
      char *p = line + 3;
      long n;
      int used;
      while (regions < MAX_REGIONS && sscanf(p, "%ld%n", &n, &used) == 1) {
        first_page[regions + 1] = first_page[regions] + n;
        regions++;
        p += used;
      }
      total = first_page[regions];
      base = mmap(NULL, total * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
      if (base == MAP_FAILED) {
        fail("mmap failed", line);
      }
    } else if (!strcmp(cmd, "fill")) {
      int r;
      long first, n;
      uint64_t token, step;
      if (sscanf(line, "fill %d %ld %ld %lu %lu", &r, &first, &n, &token, &step) != 5 || r < 0 || r >= regions
          || first < 0 || first + n > first_page[r + 1] - first_page[r]) {
        fail("expected fill REGION FIRST N TOKEN STEP within the map", line);
      }
      for (long k = 0; k < n; k++) {
        uint64_t *page = (uint64_t *) (base + (first_page[r] + first + k) * PAGE);
        uint64_t word = token + (uint64_t) k * step;
        for (long w = 0; w < PAGE / 8; w++) {
          page[w] = word;
        }
      }
    } else if (!strcmp(cmd, "merge")) {
      scans_at_merge = counter("full_scans");
      if (madvise(base, total * PAGE, MADV_MERGEABLE) != 0) {
        fail("madvise(MADV_MERGEABLE) failed", line);
      }
    } else if (!strcmp(cmd, "scans")) {
      long n;
      if (sscanf(line, "scans %ld", &n) != 1) {
        fail("expected scans N", line);
      }
      struct timespec pause = {0, 2000000};
      for (long waited = 0; counter("full_scans") - scans_at_merge < n; waited++) {
        if (waited > 60 * 500) {
          fail("no full scan in 60 s (is ksmd running?)", line);
        }
        nanosleep(&pause, NULL);
      }
    } else if (!strcmp(cmd, "print")) {
      char label[64] = "";
      sscanf(line, "print %63s", label);
      printf("%s", label);
      for (size_t i = 0; i < sizeof COUNTERS / sizeof *COUNTERS; i++) {
        long v = counter(COUNTERS[i]);
        printf(" %s=%ld", COUNTERS[i], !strcmp(COUNTERS[i], "full_scans") ? v - scans_at_merge : v);
      }
      printf("\n");
    } else {
      fail("unknown command", line);
    }
  }
  return 0;
}
