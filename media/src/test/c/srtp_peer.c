/*
 * srtp_peer: libsrtp2 as an independent SRTP peer for Kinline's tests and benchmarks.
 *
 *   srtp_peer protect   KEY30HEX   < lines   "rtp HEX" | "rtcp HEX"  ->  "HEX" | "ERR <status>"
 *   srtp_peer unprotect KEY30HEX   < lines   (same format)
 *   srtp_peer bench     KEY30HEX SIZE COUNT  ->  one line of ns per packet (CPU time) for protect and unprotect
 *
 * One srtp_t session per run (ssrc_any_outbound for protect, ssrc_any_inbound for unprotect), so the
 * rollover counter and the replay window carry from line to line as they would on a call. The
 * profile is AES_CM_128_HMAC_SHA1_80 for RTP and RTCP, the replay window 128 packets.
 *
 * Build: gcc -O2 -o srtp_peer srtp_peer.c -lsrtp2   (Debian: libsrtp2-dev)
 */
#include <srtp2/srtp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PACKET 2048

static int unhex(const char *s, uint8_t *out, int max) {
    int n = 0;
    while (s[0] && s[1] && s[0] != '\n' && s[0] != '\r') {
        if (n >= max) return -1;
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1) return -1;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

static void puthex(const uint8_t *b, int n) {
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    putchar('\n');
}

static srtp_t session(const char *keyhex, int inbound) {
    static uint8_t key[30];
    if (unhex(keyhex, key, sizeof key) != 30) {
        fprintf(stderr, "key must be 30 bytes of hex (key || salt)\n");
        exit(2);
    }
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = key;
    policy.window_size = 128;
    policy.allow_repeat_tx = 0;
    srtp_t s;
    if (srtp_create(&s, &policy) != srtp_err_status_ok) {
        fprintf(stderr, "srtp_create failed\n");
        exit(2);
    }
    return s;
}

static int lines(const char *keyhex, int protect) {
    srtp_t s = session(keyhex, !protect);
    static char line[2 * MAX_PACKET + 16];
    static uint8_t buf[MAX_PACKET + SRTP_MAX_TRAILER_LEN];
    while (fgets(line, sizeof line, stdin)) {
        int rtcp = strncmp(line, "rtcp ", 5) == 0;
        int len = unhex(line + (rtcp ? 5 : 4), buf, MAX_PACKET);
        if (len < 0) {
            printf("ERR bad-hex\n");
            continue;
        }
        srtp_err_status_t st = protect ? (rtcp ? srtp_protect_rtcp(s, buf, &len) : srtp_protect(s, buf, &len))
                                       : (rtcp ? srtp_unprotect_rtcp(s, buf, &len) : srtp_unprotect(s, buf, &len));
        if (st == srtp_err_status_ok) {
            puthex(buf, len);
        } else {
            printf("ERR %d\n", (int)st);
        }
    }
    srtp_dealloc(s);
    return 0;
}

static double cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Protects COUNT RTP packets of SIZE bytes (seq running through the wrap), then unprotects them all. */
static int bench(const char *keyhex, int size, int count) {
    srtp_t tx = session(keyhex, 0), rx = session(keyhex, 1);
    int stride = size + SRTP_MAX_TRAILER_LEN;
    uint8_t *all = calloc((size_t)count, (size_t)stride);
    int *lens = calloc((size_t)count, sizeof(int));
    for (int i = 0; i < count; i++) {
        uint8_t *p = all + (size_t)i * stride;
        p[0] = 0x80;
        p[2] = (uint8_t)(i >> 8);
        p[3] = (uint8_t)i;
        p[8] = 0x12; p[9] = 0x34; p[10] = 0x56; p[11] = 0x78;
        for (int j = 12; j < size; j++) p[j] = (uint8_t)(j * 31 + i);
        lens[i] = size;
    }
    double t0 = cpu_ns();
    for (int i = 0; i < count; i++) {
        if (srtp_protect(tx, all + (size_t)i * stride, &lens[i]) != srtp_err_status_ok) return 3;
    }
    double t1 = cpu_ns();
    for (int i = 0; i < count; i++) {
        if (srtp_unprotect(rx, all + (size_t)i * stride, &lens[i]) != srtp_err_status_ok) return 4;
    }
    double t2 = cpu_ns();
    printf("libsrtp %s size=%d count=%d protect_ns=%.1f unprotect_ns=%.1f\n", srtp_get_version_string(), size, count,
           (t1 - t0) / count, (t2 - t1) / count);
    free(all);
    free(lens);
    return 0;
}

int main(int argc, char **argv) {
    if (srtp_init() != srtp_err_status_ok) return 2;
    if (argc == 3 && strcmp(argv[1], "protect") == 0) return lines(argv[2], 1);
    if (argc == 3 && strcmp(argv[1], "unprotect") == 0) return lines(argv[2], 0);
    if (argc == 5 && strcmp(argv[1], "bench") == 0) return bench(argv[2], atoi(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: srtp_peer protect|unprotect KEYHEX < lines, or srtp_peer bench KEYHEX SIZE COUNT\n");
    return 2;
}
