#!/usr/bin/env python3
"""Helper of tests/load/run.sh: pcaps, provisioning, the call plan, sampling, checks and the report.

Subcommands (all loopback, all bounded):
  pcaps    DIR --inmates N                      RFC 4733 pcaps and talk WAVs for the SIPp scenarios
  provision --api URL --token-file F --inmates N --prepaid N --out F
                                                 facility, stations, inmates, deposits, a block (admin API)
  plan     --out CSV --calls N --mix SPEC --inmates N --prepaid N --talk-s N --offset N
                                                 SIPp injection file (one row per call)
  sample   --pid P --api URL --token-file F --out CSV [--sipp-pids-file F]
                                                 once a second: CPU, RSS, threads, fds, heap, open calls, UDP drops
  check    --api URL --token-file F --data-dir D --plans CSV... --accounts F --out JSON
                                                 every call has its record, recording, charges add up
  report   --work DIR --out MD --title T         table, Markdown, PNG chart

Only the Python standard library is required; numpy speeds up the WAV checks and matplotlib draws
the chart (Debian: python3-matplotlib). Without matplotlib the report says so and has no chart.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import wave
from decimal import Decimal

try:
    import numpy as np
except ImportError:  # pure-Python fallback in the WAV checks
    np = None

FACILITY = "load"
RATE = Decimal("0.06")
# Dialled numbers +1 573 2K0 NNNN: K says what the called party (tests/load/uas-load.xml) does.
KINDS = {
    # kind: (K digit, expected outcome, expected reason or None, recorded, charged)
    "accept_inmate_hangup": ("1", "completed", "inmate_hangup", True, True),
    "accept_called_hangup": ("2", "completed", "called_hangup", True, True),
    "refuse": ("3", "refused", None, False, False),
    "block": ("4", "blocked_by_called_party", None, False, False),
    "no_answer": ("5", "no_answer", None, False, False),
    "denied": ("6", "denied", "blocked_number", False, False),
    "prepaid": ("7", "completed", "inmate_hangup", True, True),
}
KIND_BY_DIGIT = {v[0]: k for k, v in KINDS.items()}
DENIED_NUMBER = "+15732600000"
PINS_BASE = 4100  # inmate i has PIN 4100 + i


def pin_of(i):
    return str(PINS_BASE + i)


def prepaid_btn(p):
    return "+157327000%02d" % p


# ---------------------------------------------------------------------------------------------- pcaps

def ulaw(sample):
    """ITU-T G.711 mu-law encoding of one 16-bit sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    if sample < 0:
        sample = -sample
    sample = min(sample, clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not (sample & mask):
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


class PcapWriter:
    """RTP in a libpcap file the way io.kinline.tests.pcap.DtmfPcapWriter writes it: each digit an
    RFC 4733 event (marker on the first packet, an update every 20 ms, three end packets); one SSRC,
    sequence numbers always advance. The load scenarios play only the keys from a pcap and the audio
    with SIPp's rtp_stream (see write_tone_wav): play_pcap_audio sends through a raw socket, and every
    open raw UDP socket costs every UDP packet on the host a visit in the kernel."""

    KEYS = "0123456789*#ABCD"

    def __init__(self, ssrc):
        self.ssrc = ssrc
        self.packets = []  # (time_us, rtp bytes)
        self.seq = 1000
        self.ts = 160000
        self.tick = 0

    def _rtp(self, pt, marker, ts, payload):
        hdr = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, self.seq & 0xFFFF, ts & 0xFFFFFFFF, self.ssrc)
        self.seq += 1
        return hdr + payload

    def gap(self, ms):
        """Time passes with nothing sent (between keys: the audio comes from rtp_stream)."""
        self.tick += ms // 20
        self.ts += 8 * ms

    def duration_ms(self):
        return self.tick * 20

    def digit(self, key, ms=120):
        event = self.KEYS.index(key)
        ticks = ms // 20
        event_ts = self.ts
        for i in range(ticks + 2):
            end = i >= ticks - 1
            duration = min(ticks, i + 1) * 160
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
            self.packets.append((self.tick * 20000, self._rtp(101, i == 0, event_ts, payload)))
            self.tick += 1
            self.ts += 160

    def write(self, path):
        out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        base = 1_700_000_000 * 1_000_000
        for ip_id, (t, rtp) in enumerate(self.packets, start=1):
            udp_len = 8 + len(rtp)
            ip_len = 20 + udp_len
            ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0xB8, ip_len, ip_id & 0xFFFF, 0, 64, 17, 0,
                                       bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])))
            s = sum(struct.unpack("!10H", bytes(ip)))
            while s >> 16:
                s = (s & 0xFFFF) + (s >> 16)
            ip[10:12] = struct.pack("!H", ~s & 0xFFFF)
            frame = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]) + b"\x08\x00" + bytes(ip) \
                + struct.pack("!HHHH", 6000, 6002, udp_len, 0) + rtp
            tt = base + t
            out += struct.pack("<IIII", tt // 1_000_000, tt % 1_000_000, len(frame), len(frame))
            out += frame
        with open(path, "wb") as f:
            f.write(out)


def write_tone_wav(path, hz, seconds=5, amplitude=8000):
    """A mu-law WAV of a whole number of periods, for SIPp's rtp_stream to loop without a click."""
    data = bytes(ulaw(int(amplitude * math.sin(2 * math.pi * hz * n / 8000.0))) for n in range(8000 * seconds))
    fmt = struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8)  # WAVE_FORMAT_MULAW, mono, 8 kHz, 8 bits
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", len(data)) + data)


def cmd_pcaps(a):
    """The keys as RFC 4733 in pcaps (handsets: PIN and '#'; called parties: 1, 2 or 9 9) and the
    talking audio as WAVs: the handset talks 440 Hz, the called party 1 kHz, so a recording shows
    which channel is whose. Prints the pcaps' lengths, which the scenarios wait out before talking."""
    os.makedirs(a.dir, exist_ok=True)
    lengths = set()
    for i in range(a.inmates):
        w = PcapWriter(0x494E0000 + i)
        for k in pin_of(i) + "#":
            w.digit(k)
            w.gap(80)
        lengths.add(w.duration_ms())
        w.write(os.path.join(a.dir, "inmate-%d.pcap" % i))
    called = {}
    for name, keys in (("accept", "1"), ("refuse", "2"), ("block", "9 9")):
        w = PcapWriter(0x43414C4C)
        for k in keys:
            if k == " ":
                w.gap(1500)  # "press 9 again to block": the second 9 after the confirmation prompt starts
            else:
                w.digit(k)
        called[name] = w.duration_ms()
        w.write(os.path.join(a.dir, "called-%s.pcap" % name))
    write_tone_wav(os.path.join(a.dir, "talk-440.wav"), 440)
    write_tone_wav(os.path.join(a.dir, "talk-1000.wav"), 1000)
    assert len(lengths) == 1, "PINs of different lengths: the handset scenario waits one fixed time"
    print("pcaps in %s: PIN %d ms, called keys %s ms; talk-440.wav, talk-1000.wav"
          % (a.dir, lengths.pop(), called))


# ---------------------------------------------------------------------------------------------- admin API

class Api:
    def __init__(self, base, token_file):
        self.base = base.rstrip("/")
        with open(token_file) as f:
            self.token = f.read().strip()

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            raw = e.read()
            status = e.code
        if status not in ok:
            raise RuntimeError("%s %s -> %d %s" % (method, path, status, raw[:300].decode(errors="replace")))
        return json.loads(raw) if raw else None


def cmd_provision(a):
    api = Api(a.api, a.token_file)
    api.call("POST", "/api/facilities", {
        "id": FACILITY, "name": "Load test facility", "timezone": "UTC",
        "phoneHours": {"start": "00:00", "end": "24:00"}, "maxCallMinutes": 15,
        "callsPerDay": 0, "cooldownSeconds": 0, "reminderMinutes": 5, "warningSeconds": 60,
        "ratePerMinute": str(RATE), "pinLength": 4, "pinMaxAttempts": 3, "answerTimeoutSeconds": a.answer_timeout,
        "consentRepeats": 2, "billingRoundingSeconds": 60, "state": "MO", "localNpas": ["573"]}, ok=(201,))
    # callsPerDay 0 = no daily limit, cooldown 0: the same inmates call again and again. The called party
    # (uas-load.xml) presses its key 1.5 s into the greeting, so a key pressed during the notice counts
    # here (consentDuringNotice; the default makes the notice play to its end, ~9 s more per call).
    api.call("PATCH", "/api/facilities/" + FACILITY, {"languageMenu": False, "callsPerDay": 0, "cooldownSeconds": 0,
                                                      "consentDuringNotice": True})
    for s in range(a.stations):
        api.call("POST", "/api/stations", {"id": "L%03d" % s, "facility": FACILITY, "kind": "handset"}, ok=(201,))
    accounts = {"debit": {}, "prepaid": {}}
    for i in range(a.inmates):
        iid = "LD%03d" % i
        api.call("POST", "/api/inmates", {"id": iid, "name": "Load Inmate %d" % i, "facility": FACILITY,
                                          "pin": pin_of(i), "language": "en"}, ok=(201,))
        for _ in range(a.deposits):
            r = api.call("POST", "/api/accounts/debit/%s/deposits" % iid, {"amount": "1000.00"}, ok=(201,))
        accounts["debit"][iid] = r["balance"]
    for p in range(a.prepaid):
        r = api.call("POST", "/api/accounts/prepaid/%s/deposits" % urllib.parse.quote(prepaid_btn(p)),
                     {"amount": a.prepaid_amount}, ok=(201,))
        accounts["prepaid"][prepaid_btn(p)] = r["balance"]
    api.call("POST", "/api/blocks", {"number": DENIED_NUMBER, "type": "facility", "facility": FACILITY,
                                     "note": "load test: the denied calls"}, ok=(201,))
    with open(a.out, "w") as f:
        json.dump(accounts, f, indent=1)
    print("provisioned facility %s: %d stations, %d inmates (PINs %s..%s), %d prepaid BTNs"
          % (FACILITY, a.stations, a.inmates, pin_of(0), pin_of(a.inmates - 1), a.prepaid))


# ---------------------------------------------------------------------------------------------- call plan

def parse_mix(spec):
    mix = []
    for part in spec.split(","):
        name, _, weight = part.partition(":")
        if name not in KINDS:
            raise SystemExit("unknown call kind %r (known: %s)" % (name, ", ".join(KINDS)))
        mix.append((name, int(weight or 1)))
    return mix


def cmd_plan(a):
    mix = parse_mix(a.mix)
    total = sum(w for _, w in mix)
    # A smooth deterministic interleave (largest remainder): every window of `total` calls has the mix.
    acc = {n: 0.0 for n, _ in mix}
    with open(a.out, "w", newline="") as f:
        f.write("SEQUENTIAL\n")
        for c in range(a.calls):
            for n, w in mix:
                acc[n] += w / total
            kind = max(acc, key=acc.get)
            acc[kind] -= 1
            idx = a.offset + c
            inmate = idx % a.inmates
            digit = KINDS[kind][0]
            if kind == "denied":
                dialled = DENIED_NUMBER
            elif kind == "prepaid":
                dialled = prepaid_btn(idx % max(1, a.prepaid))
            else:
                dialled = "+15732%s0%04d" % (digit, idx % 10000)
            # How long the handset waits for the switch's BYE before hanging up itself (from its ACK):
            # IVR (~PIN + prompts + ring + greeting) allowance + talk for "inmate hangs up first",
            # well beyond the called party's hangup otherwise. An inmate's first call also records
            # the name ("say your name after the tone"), which takes name_s longer.
            setup_s = a.setup_s + (a.name_s if idx < a.inmates else 0)
            if kind in ("accept_inmate_hangup", "prepaid"):
                wait_ms = (setup_s + a.talk_s) * 1000
            else:
                wait_ms = (setup_s + a.talk_s + a.bye_slack) * 1000
            f.write("L%03d;%s;%d;%d;%s\n" % (idx % a.stations, dialled.lstrip("+"), inmate, wait_ms, kind))
    print("plan: %d calls (%s) -> %s" % (a.calls, a.mix, a.out))


# ---------------------------------------------------------------------------------------------- sampler

def read_cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])  # utime + stime (fields 14, 15)


def read_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "Threads"):
                out[k] = int(v.split()[0])
    return out


def udp_errors():
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Udp:")]
    hdr, val = lines[0], lines[1]
    d = dict(zip(hdr[1:], map(int, val[1:])))
    return d.get("RcvbufErrors", 0), d.get("SndbufErrors", 0), d.get("InErrors", 0)


def socket_drops(lo, hi, seen):
    """Kernel drops (the last column of /proc/net/udp) of the sockets bound to ports lo..hi, kept per
    socket inode so that sockets closed since still count."""
    try:
        with open("/proc/net/udp") as f:
            next(f)
            for line in f:
                parts = line.split()
                port = int(parts[1].rsplit(":", 1)[1], 16)
                if lo <= port <= hi:
                    seen[parts[9]] = int(parts[-1])
    except (OSError, ValueError, IndexError, StopIteration):
        pass
    return sum(seen.values())


def metrics(api_base):
    want = {}
    try:
        with urllib.request.urlopen(api_base + "/metrics", timeout=5) as r:
            text = r.read().decode()
    except Exception:
        return want
    heap = 0.0
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        try:
            v = float(value)
        except ValueError:
            continue
        if name.startswith("jvm_memory_used_bytes") and 'area="heap"' in name:
            heap += v
        elif name.startswith("kinline_calls_active"):
            want["active"] = v
        elif name.startswith("jvm_threads_live_threads"):
            want["jvm_threads"] = v
        elif name.startswith("jvm_gc_live_data_size_bytes"):
            want["live_data"] = v
        elif name.startswith("kinline_media_loop_lag_seconds"):
            want["media_lag"] = v
        elif name.startswith("kinline_call_thread_lag_seconds"):
            want["script_lag"] = v
    want["heap"] = heap
    return want


def thread_ticks(pid):
    """utime + stime and user/system split per thread group (thread name without digits)."""
    groups = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return groups
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        parts = raw.rsplit(")", 1)[1].split()
        key = "".join(ch if not ch.isdigit() else "#" for ch in name)
        while "##" in key:
            key = key.replace("##", "#")
        u, s_ = int(parts[11]), int(parts[12])
        g = groups.setdefault(key, [0, 0])
        g[0] += u
        g[1] += s_
    return groups


def cmd_sample(a):
    api = Api(a.api, a.token_file)
    hz = os.sysconf("SC_CLK_TCK")
    t0 = time.time()
    last_cpu, last_t = read_cpu_ticks(a.pid), time.time()
    sipp_last = {}
    m = {}
    last_api_calls = 0
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t", "cpu_pct", "rss_mb", "threads", "fds", "heap_mb", "live_data_mb", "active_calls",
                    "api_calls", "udp_rcvbuf_errors", "udp_sndbuf_errors", "sipp_cpu_pct", "prepaid_min",
                    "switch_rtp_drops", "media_lag_ms", "script_lag_ms"])
        drops_seen = {}
        threads_first = thread_ticks(a.pid)
        threads_last = threads_first
        n = 0
        while os.path.exists("/proc/%d" % a.pid):
            time.sleep(max(0.0, 1.0 - (time.time() - last_t)))
            try:
                now = time.time()
                cpu = read_cpu_ticks(a.pid)
                st = read_status(a.pid)
                fds = len(os.listdir("/proc/%d/fd" % a.pid))
            except (FileNotFoundError, ProcessLookupError):
                break
            cpu_pct = 100.0 * (cpu - last_cpu) / hz / max(1e-3, now - last_t)
            last_cpu, last_t = cpu, now
            # SIPp processes (the generator): their summed CPU, to tell when the generator is the limit
            sipp_pct = 0.0
            if a.sipp_pids_file and os.path.exists(a.sipp_pids_file):
                with open(a.sipp_pids_file) as pf:
                    pids = [int(x) for x in pf.read().split() if x.strip().isdigit()]
                for p in pids:
                    try:
                        c = read_cpu_ticks(p)
                    except (FileNotFoundError, ProcessLookupError):
                        continue
                    prev = sipp_last.get(p)
                    sipp_last[p] = (c, now)
                    if prev:
                        sipp_pct += 100.0 * (c - prev[0]) / hz / max(1e-3, now - prev[1])
            # /metrics every 5 s: a Prometheus scrape is itself a few % of a core per second of scrapes
            if n % 5 == 0:
                m = metrics(a.api)
            api_calls = ""
            prepaid_min = ""
            if n % 2 == 0:
                try:
                    last_api_calls = api.call("GET", "/api/calls")["count"]
                except Exception:
                    pass
            api_calls = last_api_calls
            if n % 5 == 0 and a.prepaid > 0:
                try:
                    prepaid_min = min(Decimal(api.call("GET", "/api/accounts/prepaid/%s"
                                                       % urllib.parse.quote(prepaid_btn(p)))["balance"])
                                      for p in range(a.prepaid))
                except Exception:
                    pass
            if n % 10 == 0:
                t_ = thread_ticks(a.pid)
                if t_:
                    threads_last = t_
                    with open(a.out + ".threads.json", "w") as tf:
                        json.dump({"hz": hz, "first": threads_first, "last": threads_last}, tf)
            rcv, snd, _ = udp_errors()
            w.writerow(["%.1f" % (now - t0), "%.1f" % cpu_pct, "%.1f" % (st.get("VmRSS", 0) / 1024.0),
                        st.get("Threads", 0), fds, "%.1f" % (m.get("heap", 0) / 2 ** 20),
                        "%.1f" % (m.get("live_data", 0) / 2 ** 20), int(m.get("active", 0)), api_calls, rcv, snd,
                        "%.1f" % sipp_pct, prepaid_min, socket_drops(a.media_min, a.media_min + 7999, drops_seen),
                        # the overload control's input (sustained lateness of the worst media loop), every 5 s
                        "%.0f" % (m["media_lag"] * 1000) if "media_lag" in m else "",
                        "%.0f" % (m["script_lag"] * 1000) if "script_lag" in m else ""])
            f.flush()
            n += 1


# ---------------------------------------------------------------------------------------------- checks

def fetch_cdrs(api, expected):
    """All call records of the load facility, newest first, paged by startedAt (the API returns at
    most 1000 per request)."""
    seen = {}
    to = None
    for _ in range(1000):
        q = "/api/cdrs?facility=%s&limit=1000" % FACILITY
        if to:
            q += "&to=" + urllib.parse.quote(to)
        batch = api.call("GET", q)["cdrs"]
        new = [c for c in batch if c["callId"] not in seen]
        for c in new:
            seen[c["callId"]] = c
        if len(batch) < 1000 or not new:
            break
        to = min(c["startedAt"] for c in batch)
    return list(seen.values())


def download_recording(api, call_id, work):
    """An encrypted recording as the admin API serves it: the WAV, decrypted."""
    req = urllib.request.Request(api.base + "/api/recordings/" + urllib.parse.quote(call_id, safe=""))
    req.add_header("Authorization", "Bearer " + api.token)
    path = os.path.join(work, "decrypted-" + "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in call_id)
                        + ".wav")
    with urllib.request.urlopen(req, timeout=60) as r, open(path, "wb") as out:
        out.write(r.read())
    return path


def split_pct(xs):
    """p50 and p99 of a list of seconds, or None."""
    if not xs:
        return None
    xs = sorted(xs)
    return [xs[len(xs) // 2], xs[min(len(xs) - 1, int(len(xs) * 0.99))]]


def wav_check(path, min_s, max_s, left_hz=440, right_hz=1000):
    """Duration, audio present on both channels, which channel carries which tone, and how many 20 ms
    frames inside the talk are silent (a lost packet is recorded as silence)."""
    res = {"path": path}
    try:
        with wave.open(path, "rb") as w:
            ch, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            raw = w.readframes(n)
    except (OSError, wave.Error, EOFError) as e:
        res["error"] = "unreadable: %s" % e
        return res
    res["seconds"] = n / float(rate) if rate else 0
    if ch != 2 or width != 2 or rate != 8000:
        res["error"] = "format %d ch %d bit %d Hz, want stereo 16-bit 8 kHz" % (ch, width * 8, rate)
        return res
    if not (min_s <= res["seconds"] <= max_s):
        res["error"] = "length %.2f s, want %.2f..%.2f s" % (res["seconds"], min_s, max_s)
    if np is not None:
        s = np.frombuffer(raw, dtype="<i2").reshape(-1, 2).astype(np.float64)
        left, right = s[:, 0], s[:, 1]
    else:
        import array
        s = array.array("h")
        s.frombytes(raw)
        if sys.byteorder == "big":
            s.byteswap()
        left, right = s[0::2], s[1::2]
    frames = len(left) // 160
    # skip the first and last second: the edges of the bridge (prompts ending, BYE in flight)
    lo, hi = min(frames, 50), max(0, frames - 50)
    silent = {0: 0, 1: 0}
    energy = {0: 0.0, 1: 0.0}
    for c, x in ((0, left), (1, right)):
        if hi <= lo:
            continue
        if np is not None:
            rms = np.sqrt(np.mean(np.asarray(x[lo * 160:hi * 160]).reshape(-1, 160) ** 2, axis=1))
            energy[c] = float(np.sum(rms))
            silent[c] = int(np.count_nonzero(rms < 50))
        else:
            for i in range(lo, hi):
                seg = x[i * 160:(i + 1) * 160]
                e = math.sqrt(sum(v * v for v in seg) / 160.0)
                energy[c] += e
                if e < 50:
                    silent[c] += 1
    counted = max(1, hi - lo)
    res["frames"] = hi - lo
    res["silent_inmate"], res["silent_called"] = silent[0], silent[1]
    res["rms_inmate"], res["rms_called"] = energy[0] / counted, energy[1] / counted
    if hi - lo > 0:
        if res["rms_inmate"] < 500 or res["rms_called"] < 500:
            res.setdefault("error", "no audio on %s" % ("the inmate channel" if res["rms_inmate"] < 500
                                                        else "the called channel"))
        elif np is not None:
            mid = (lo + hi) // 2 * 160
            for c, x, want in ((0, left, left_hz), (1, right, right_hz)):
                seg = x[mid:mid + 4000]
                spec = np.abs(np.fft.rfft(seg))
                peak = np.argmax(spec[1:]) + 1
                hz = peak * 8000.0 / len(seg)
                if abs(hz - want) > 40:
                    res.setdefault("error", "channel %d peaks at %.0f Hz, want %d Hz" % (c, hz, want))
    return res


def iso_seconds(a, b):
    from datetime import datetime
    fa = datetime.fromisoformat(a.replace("Z", "+00:00"))
    fb = datetime.fromisoformat(b.replace("Z", "+00:00"))
    return (fb - fa).total_seconds()


def cmd_check(a):
    api = Api(a.api, a.token_file)
    planned = {}
    for p in a.plans:
        with open(p) as f:
            for row in f:
                parts = row.strip().split(";")
                if len(parts) == 5:
                    planned.setdefault(parts[4], 0)
                    planned[parts[4]] += 1
    with open(a.accounts) as f:
        before = json.load(f)
    sipp_ok = a.sipp_ok  # calls SIPp's handsets completed
    cdrs = fetch_cdrs(api, sipp_ok)
    problems = []
    by_kind = {}
    charges = Decimal("0")
    loss = {"lost": 0, "expected": 0, "silent_frames": 0, "frames": 0}
    setup = []
    # setup split where the switch hands over: INVITE -> the called party answered (PIN, prompts, trunk INVITE,
    # ring) and answered -> accepted (greeting, notice, the called party's key): which side was slow
    to_answer, to_accept = [], []
    talking = []  # (acceptedAt, endedAt) of recorded calls: how many were recorded at the same time
    wavs = 0
    recordings = {}
    rec_root = os.path.join(a.data_dir, "recordings")
    for dirpath, _, files in os.walk(rec_root):
        for fn in files:
            if fn.endswith(".wav"):
                recordings[fn[:-4]] = os.path.join(dirpath, fn)
            elif fn.endswith(".wav.enc"):  # encrypted at rest (ENCRYPT=1): read through the API, decrypted
                recordings[fn[:-8]] = os.path.join(dirpath, fn)
    sealed_ok = 0
    # SIPp's Call-ID is <call number>-<pid>@<ip>; with a SEQUENTIAL injection file call n used row n-1
    plan_rows = {}
    step_of_pid = {}
    if a.steps and os.path.exists(a.steps):
        with open(a.steps) as f:
            for st in json.load(f):
                src = st.get("counts") or st.get("rtt") or ""
                pid = os.path.basename(src).split("_")[1] if src.count("_") >= 2 else None
                if pid:
                    step_of_pid[pid] = st["name"]
                plan = os.path.join(os.path.dirname(st["stat"]), "plan.csv")
                if pid and os.path.exists(plan):
                    with open(plan) as pf:
                        plan_rows[pid] = [r.strip().split(";") for r in pf if r.count(";") == 4]
    for c in cdrs:
        kind = None
        num, _, rest = c["callId"].partition("-")
        pid = rest.split("@")[0]
        if num.isdigit() and pid in plan_rows and 0 < int(num) <= len(plan_rows[pid]):
            kind = plan_rows[pid][int(num) - 1][4]
        if kind is None:
            digit = (c.get("dialed") or "")[6:7] if (c.get("dialed") or "").startswith("+15732") else ""
            kind = "denied" if c.get("dialed") == DENIED_NUMBER else KIND_BY_DIGIT.get(digit, "unknown")
        by_kind.setdefault(kind, {}).setdefault(c["outcome"] + ("/" + c["reason"] if c.get("reason") else ""), 0)
        by_kind[kind][c["outcome"] + ("/" + c["reason"] if c.get("reason") else "")] += 1
        exp = KINDS.get(kind)
        if exp is None:
            problems.append("%s: unknown dialled number %s" % (c["callId"], c.get("dialed")))
            continue
        _, outcome, reason, recorded, charged = exp
        if c["outcome"] != outcome or (reason and c.get("reason") != reason):
            problems.append("%s (%s): outcome %s/%s, want %s/%s" % (c["callId"], kind, c["outcome"], c.get("reason"),
                                                                    outcome, reason or "*"))
            continue
        ch = Decimal(c.get("charge") or "0")
        charges += ch
        if charged and ch <= 0:
            problems.append("%s: completed call charged %s" % (c["callId"], ch))
        if not charged and ch != 0:
            problems.append("%s: %s call charged %s" % (c["callId"], c["outcome"], ch))
        if kind == "prepaid" and c.get("funding") not in ("prepaid", "debit"):
            problems.append("%s: funding %s" % (c["callId"], c.get("funding")))
        if c.get("acceptedAt") and c.get("startedAt"):
            setup.append(iso_seconds(c["startedAt"], c["acceptedAt"]))
            if c.get("answeredAt"):
                to_answer.append(iso_seconds(c["startedAt"], c["answeredAt"]))
                to_accept.append(iso_seconds(c["answeredAt"], c["acceptedAt"]))
        if c.get("recorded") and c.get("acceptedAt") and c.get("endedAt"):
            talking.append((c["acceptedAt"], c["endedAt"]))
        for leg in ("inmateQuality", "calledQuality"):
            q = c.get(leg)
            if q and recorded:
                loss["lost"] += max(0, int(q.get("packetsLost") or 0))
        if recorded:
            if not c.get("recorded"):
                problems.append("%s: not recorded" % c["callId"])
                continue
            path = recordings.get(c["callId"].replace("/", "_")) or recordings.get(
                "".join(ch_ if (ch_.isalnum() or ch_ in "._-") else "_" for ch_ in c["callId"]))
            if not path:
                problems.append("%s: recording file missing" % c["callId"])
                continue
            downloaded = path.endswith(".enc")
            if downloaded:
                path = download_recording(api, c["callId"], os.path.dirname(a.data_dir.rstrip("/")))
            # the recording is sealed: its record carries the SHA-256 of the WAV (docs/EVIDENCE.md)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            if c.get("recordingSha256") != digest:
                problems.append("%s: recording sha256 %s, record says %s" % (c["callId"], digest,
                                                                           c.get("recordingSha256")))
            else:
                sealed_ok += 1
            talk = iso_seconds(c["acceptedAt"], c["endedAt"])
            # expected packets at the switch on both legs while bridged (50/s each way)
            loss["expected"] += int(talk * 50) * 2
            r = wav_check(path, talk - 1.5, talk + 1.5)
            if downloaded:
                os.remove(path)
            wavs += 1
            loss["silent_frames"] += r.get("silent_inmate", 0) + r.get("silent_called", 0)
            loss["frames"] += 2 * r.get("frames", 0)
            if "error" in r:
                problems.append("%s: recording %s: %s" % (c["callId"], os.path.basename(path), r["error"]))
    # every planned call that SIPp completed must have a record (denied ones too)
    if sipp_ok is not None and len(cdrs) < sipp_ok:
        problems.append("only %d call records for %d calls completed by the handsets" % (len(cdrs), sipp_ok))
    if a.offered is not None and len(cdrs) != a.offered - (a.shed or 0):
        problems.append("%d call records for %d calls offered and %d shed with 503"
                        % (len(cdrs), a.offered, a.shed or 0))
    if not cdrs:
        problems.append("no call records at all")
    # money: every charge came out of an account, nothing is left held, no prepaid balance below zero
    decrease = Decimal("0")
    held = Decimal("0")
    accounts_after = {"debit": {}, "prepaid": {}}
    for iid, bal in before["debit"].items():
        now = api.call("GET", "/api/accounts/debit/" + iid)
        accounts_after["debit"][iid] = now["balance"]
        decrease += Decimal(bal) - Decimal(now["balance"])
        held += Decimal(now["held"])
    for btn, bal in before["prepaid"].items():
        now = api.call("GET", "/api/accounts/prepaid/" + urllib.parse.quote(btn))
        accounts_after["prepaid"][btn] = now["balance"]
        decrease += Decimal(bal) - Decimal(now["balance"])
        held += Decimal(now["held"])
        if Decimal(now["balance"]) < 0 or Decimal(now["available"]) < 0:
            problems.append("prepaid %s below zero: %s" % (btn, now))
    if decrease != charges:
        problems.append("charges in call records %s != balance decreases %s" % (charges, decrease))
    if held != 0:
        problems.append("%s still held after all calls ended" % held)
    open_calls = api.call("GET", "/api/calls")["count"]
    if open_calls:
        problems.append("%d calls still open after the run" % open_calls)
    setup.sort()
    pct = lambda p: setup[min(len(setup) - 1, int(p * len(setup)))] if setup else None
    edges = sorted([(iso_seconds(talking[0][0], b), 1) for b, _ in talking]
                   + [(iso_seconds(talking[0][0], e), -1) for _, e in talking]) if talking else []
    recorded_now = peak_recorded = 0
    for _, d in edges:  # an end before a start at the same instant (-1 sorts first)
        recorded_now += d
        peak_recorded = max(peak_recorded, recorded_now)
    problems_by_step = {}
    for p in problems:
        cid = p.split(" ")[0].rstrip(":")
        pid = cid.partition("-")[2].split("@")[0]
        name = step_of_pid.get(pid, "run")
        problems_by_step[name] = problems_by_step.get(name, 0) + 1
    result = {
        "planned": planned, "cdrs": len(cdrs), "by_kind": by_kind, "recordings_checked": wavs,
        "recordings_sealed_ok": sealed_ok,
        "charges": str(charges), "balance_decrease": str(decrease), "held_after": str(held),
        "open_calls_after": open_calls, "rtp_lost_at_switch": loss["lost"],
        "rtp_expected_at_switch": loss["expected"],
        "rtp_loss_pct": (100.0 * loss["lost"] / loss["expected"]) if loss["expected"] else 0.0,
        "recording_silent_frames": loss["silent_frames"], "recording_frames": loss["frames"],
        "recording_gap_pct": (100.0 * loss["silent_frames"] / loss["frames"]) if loss["frames"] else 0.0,
        "ivr_setup_p50_s": pct(0.5), "ivr_setup_p99_s": pct(0.99), "ivr_setup_max_s": setup[-1] if setup else None,
        "peak_recorded_calls": peak_recorded,
        "setup_to_answer_p50_p99_s": split_pct(to_answer), "answer_to_accept_p50_p99_s": split_pct(to_accept),
        "problems": problems[:200], "problem_count": len(problems), "problems_by_step": problems_by_step,
        "accounts_after": accounts_after,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print("check: %d call records, %d recordings read, charges %s = decreases %s, RTP loss at switch %.4f%%, "
          "recording gaps %.4f%%, IVR setup p50 %s s p99 %s s, peak %d calls recorded at once: %s"
          % (len(cdrs), wavs, charges, decrease, result["rtp_loss_pct"], result["recording_gap_pct"],
             fmt(result["ivr_setup_p50_s"]), fmt(result["ivr_setup_p99_s"]), peak_recorded,
             "OK" if not problems else "%d PROBLEMS" % len(problems)))
    for p in problems[:15]:
        print("  - " + p)
    return 0 if not problems else 1


def fmt(v, d=1):
    return "-" if v is None else ("%." + str(d) + "f") % v


# ---------------------------------------------------------------------------------------------- report

def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def sipp_stat(path):
    """Last row of a SIPp -trace_stat file (';'-separated)."""
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    if len(rows) < 2:
        return {}
    return dict(zip(rows[0], rows[-1]))


def last_503(path):
    if not path or not os.path.exists(path):
        return ""
    with open(path) as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    if len(rows) < 2:
        return ""
    return sum(int(v) for k, v in zip(rows[0], rows[-1]) if "_503_Recv" in k and v.strip().isdigit())


def sipp_rtt(path):
    """SIPp -trace_rtt file: response times (ms) of rtd 1 (INVITE -> 200)."""
    vals = []
    if os.path.exists(path):
        with open(path) as f:
            for r in csv.reader(f, delimiter=";"):
                if len(r) >= 3 and r[2].strip() == "1" and r[1].replace(".", "").isdigit():
                    vals.append(float(r[1]))
    vals.sort()
    return vals


def series(steps):
    """Cumulative failed calls and 503s over time, summed over the steps' SIPp files (one row a second)."""
    events = {"failed": [], "r503": []}
    for st in steps:
        for key, path, col in (("failed", st.get("stat"), "FailedCall(C)"), ("r503", st.get("counts"), None)):
            if not path or not os.path.exists(path):
                continue
            with open(path) as f:
                rows = [r for r in csv.reader(f, delimiter=";") if r]
            if len(rows) < 2:
                continue
            hdr = rows[0]
            idx = hdr.index(col) if col else next((i for i, h in enumerate(hdr) if "_503_Recv" in h), None)
            if idx is None:
                continue
            prev = 0
            for n, r in enumerate(rows[1:]):
                try:
                    v = int(r[idx])
                except (ValueError, IndexError):
                    continue
                if v > prev:
                    events[key].append((st["t0"] + n, v - prev))
                prev = v
    out = []
    for key in ("failed", "r503"):
        ev = sorted(events[key])
        total, pts = 0, [(0.0, 0)]
        for t, d in ev:
            total += d
            pts.append((t, total))
        out.append(pts)
    return out


def cmd_report(a):
    work = a.work
    with open(os.path.join(work, "steps.json")) as f:
        steps = json.load(f)
    samples = read_csv(os.path.join(work, "samples.csv"))
    check = {}
    if os.path.exists(os.path.join(work, "check.json")):
        with open(os.path.join(work, "check.json")) as f:
            check = json.load(f)
    meta = {}
    if os.path.exists(os.path.join(work, "meta.json")):
        with open(os.path.join(work, "meta.json")) as f:
            meta = json.load(f)

    def between(t0, t1, col, agg):
        vals = [float(s[col]) for s in samples if s.get(col) not in (None, "") and t0 <= float(s["t"]) <= t1]
        return agg(vals) if vals else None

    rows = []
    for st in steps:
        stat = sipp_stat(st["stat"])
        rtt = sipp_rtt(st["rtt"]) if st.get("rtt") else []
        t0, t1 = st["t0"], st.get("t1", st["t0"])
        ok = int(stat.get("SuccessfulCall(C)", 0) or 0)
        failed = int(stat.get("FailedCall(C)", 0) or 0)
        rows.append({
            "step": st["name"], "cps": st["rate"], "calls": st["calls"], "ok": ok, "failed": failed,
            "r503": last_503(st.get("counts")),
            "rtt_p50": rtt[len(rtt) // 2] if rtt else None, "rtt_p99": rtt[int(len(rtt) * 0.99)] if rtt else None,
            "peak_calls": between(t0, t1 + a.tail, "api_calls", max),
            "cpu": between(t0, t1 + a.tail, "cpu_pct", lambda v: sum(v) / len(v)),
            "cpu_max": between(t0, t1 + a.tail, "cpu_pct", max),
            "sipp_cpu": between(t0, t1 + a.tail, "sipp_cpu_pct", lambda v: sum(v) / len(v)),
            "rss": between(t0, t1 + a.tail, "rss_mb", max),
            "lag": between(t0, t1 + a.tail, "media_lag_ms", max),
            "slag": between(t0, t1 + a.tail, "script_lag_ms", max),
        })
    head = ("| step | offered CPS | calls | ok | failed | 503 | INVITE→200 p50/p99 ms | peak open calls "
            "| switch CPU % avg/max | SIPp CPU % | RSS MB | media / script lag max ms | check problems |")
    lines = [head, "|" + "---|" * 13]
    pbs = check.get("problems_by_step", {})
    for r in rows:
        lines.append("| %s | %s | %d | %d | %d | %s | %s / %s | %s | %s / %s | %s | %s | %s | %s |" % (
            r["step"], r["cps"], r["calls"], r["ok"], r["failed"], r["r503"], fmt(r["rtt_p50"]), fmt(r["rtt_p99"]),
            fmt(r["peak_calls"], 0), fmt(r["cpu"], 0), fmt(r["cpu_max"], 0), fmt(r["sipp_cpu"], 0), fmt(r["rss"], 0),
            fmt(r["lag"], 0) + " / " + fmt(r["slag"], 0), pbs.get(r["step"], 0) if check else "-"))
    table = "\n".join(lines)
    print(table)
    # The edge of a ramp: the last step before the first with a failed or shed call or a check problem.
    clean = None
    for r in rows:
        if r["failed"] or r["r503"] or (check and pbs.get(r["step"], 0)):
            break
        clean = r
    edge = ("highest clean step: %s (%s CPS)" % (clean["step"], clean["cps"])) if clean else "highest clean step: none"
    if rows and clean is rows[-1]:
        edge += ", the last one offered"
    print(edge)

    chart = None
    png = os.path.splitext(a.out)[0] + ".png"
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        t = [float(s["t"]) for s in samples]
        fig, ax = plt.subplots(3, 1, figsize=(10, 8), sharex=True)
        ax[0].plot(t, [float(s["api_calls"] or 0) for s in samples], label="open calls (GET /api/calls)")
        fails, r503 = series(steps)
        if fails:
            ax[0].plot([f[0] for f in fails], [f[1] for f in fails], label="failed calls (SIPp, cumulative)",
                       color="red")
        if r503 and any(v for _, v in r503):
            ax[0].plot([f[0] for f in r503], [f[1] for f in r503], label="shed with 503 (cumulative)",
                       color="orange")
        ax[0].set_ylabel("calls")
        ax[0].legend(loc="upper left")
        ax[1].plot(t, [float(s["cpu_pct"]) for s in samples], label="switch CPU %")
        ax[1].plot(t, [float(s["sipp_cpu_pct"] or 0) for s in samples], label="SIPp CPU % (both sides)")
        ax[1].set_ylabel("% of one core")
        ax[1].legend(loc="upper left")
        ax[2].plot(t, [float(s["rss_mb"]) for s in samples], label="switch RSS MB")
        ax[2].plot(t, [float(s["heap_mb"]) for s in samples], label="heap used MB")
        ax[2].set_ylabel("MB")
        ax[2].set_xlabel("seconds")
        ax2 = ax[2].twinx()
        ax2.plot(t, [float(s["threads"]) for s in samples], color="grey", linestyle=":", label="threads")
        ax2.plot(t, [float(s["fds"]) for s in samples], color="black", linestyle="--", label="fds")
        ax2.set_ylabel("threads / fds")
        h1, l1 = ax[2].get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax[2].legend(h1 + h2, l1 + l2, loc="upper left")
        fig.suptitle(a.title)
        fig.tight_layout()
        fig.savefig(png, dpi=80)
        chart = os.path.basename(png)
    except ImportError:
        print("note: matplotlib not available (Debian: apt-get install python3-matplotlib): no chart")

    md = ["# " + a.title, ""]
    for k, v in meta.items():
        md.append("- %s: %s" % (k, v))
    md += ["", table, "", edge[0].upper() + edge[1:] + ".", ""]
    if check:
        md += ["Checks after the run: %d call records, %d recordings read (length, audio on both channels, "
               "440 Hz left / 1 kHz right); charges %s = balance decreases %s; held after: %s; open calls after: %s; "
               "RTP loss at the switch (CDR, bridged calls) %d of ~%d packets (%.4f %%); silent 20 ms frames "
               "in the recordings %d of %d (%.4f %%); IVR setup (INVITE → accepted) p50 %s s, p99 %s s, max %s s; "
               "at most %s calls were being recorded at the same time (from the records' acceptance and end). "
               "Problems: %d." % (
                   check["cdrs"], check["recordings_checked"], check["charges"], check["balance_decrease"],
                   check["held_after"], check["open_calls_after"], check["rtp_lost_at_switch"],
                   check["rtp_expected_at_switch"], check["rtp_loss_pct"], check["recording_silent_frames"],
                   check["recording_frames"], check["recording_gap_pct"], fmt(check["ivr_setup_p50_s"]),
                   fmt(check["ivr_setup_p99_s"]), fmt(check["ivr_setup_max_s"]), check.get("peak_recorded_calls", "?"),
                   check["problem_count"]), ""]
        if check.get("setup_to_answer_p50_p99_s") and check.get("answer_to_accept_p50_p99_s"):
            md += ["Setup split: INVITE → called party answered p50 %s s, p99 %s s (PIN, prompts, trunk INVITE, "
                   "ring); answered → accepted p50 %s s, p99 %s s (greeting, notice, the called party's key)." % (
                       fmt(check["setup_to_answer_p50_p99_s"][0]), fmt(check["setup_to_answer_p50_p99_s"][1]),
                       fmt(check["answer_to_accept_p50_p99_s"][0]), fmt(check["answer_to_accept_p50_p99_s"][1])), ""]
        md.append("Outcomes by planned kind: `%s`" % json.dumps(check["by_kind"], sort_keys=True))
        md.append("")
        for p in check["problems"][:20]:
            md.append("- " + p)
    if samples:
        drops = max(int(s_.get("switch_rtp_drops") or 0) for s_ in samples)
        md.append("")
        md.append("Kernel drops at the switch's RTP sockets (/proc/net/udp, summed per socket): %d. "
                  "(SIPp 3.6.1 does not read the RTP it receives, so loss towards SIPp cannot be counted at "
                  "SIPp; the host-wide RcvbufErrors counter is dominated by SIPp's unread media socket.)" % drops)
    tj = os.path.join(work, "samples.csv.threads.json")
    if os.path.exists(tj):
        with open(tj) as f:
            th = json.load(f)
        hz = th["hz"]
        rows_t = []
        for k, (u, s_) in th["last"].items():
            u0, s0 = th["first"].get(k, [0, 0])
            rows_t.append((k, (u - u0) / hz, (s_ - s0) / hz))
        total = sum(u + s_ for _, u, s_ in rows_t) or 1
        rows_t.sort(key=lambda r: -(r[1] + r[2]))
        md += ["", "Switch CPU by thread (user + system seconds during the run; system = kernel, mostly UDP "
               "send/receive):", "", "| threads | user s | system s | share |", "|---|---|---|---|"]
        for k, u, s_ in rows_t[:10]:
            md.append("| `%s` | %.1f | %.1f | %.0f %% |" % (k, u, s_, 100 * (u + s_) / total))
    fails, r503 = series(steps)
    if len(r503) > 1:
        md.append("")
        md.append("503 with Retry-After: %d in all; per step: %s; the last one %.0f s after the start "
                  "(steps started at %s s)." % (r503[-1][1], ", ".join("%s %s" % (r["step"], r["r503"]) for r in rows),
                                               r503[-1][0], ", ".join("%.0f" % st["t0"] for st in steps)))
    if chart:
        md += ["", "![calls, failures, CPU and memory](%s)" % chart]
    else:
        md += ["", "(no chart: matplotlib is not installed)"]
    with open(a.out, "w") as f:
        f.write("\n".join(md) + "\n")
    print("report: %s%s" % (a.out, (" and " + png) if chart else ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("pcaps")
    s.add_argument("dir")
    s.add_argument("--inmates", type=int, default=8)
    s = sub.add_parser("provision")
    s.add_argument("--api", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--inmates", type=int, default=8)
    s.add_argument("--stations", type=int, default=20)
    s.add_argument("--prepaid", type=int, default=4)
    s.add_argument("--prepaid-amount", default="5.00")
    s.add_argument("--deposits", type=int, default=1)
    s.add_argument("--answer-timeout", type=int, default=8)
    s.add_argument("--out", required=True)
    s = sub.add_parser("plan")
    s.add_argument("--out", required=True)
    s.add_argument("--calls", type=int, required=True)
    s.add_argument("--mix", required=True)
    s.add_argument("--inmates", type=int, default=8)
    s.add_argument("--stations", type=int, default=20)
    s.add_argument("--prepaid", type=int, default=4)
    s.add_argument("--talk-s", type=int, default=10)
    s.add_argument("--name-s", type=int, default=0, help="extra IVR time of an inmate's first call (name)")
    s.add_argument("--setup-s", type=int, default=12)
    s.add_argument("--offset", type=int, default=0)
    s.add_argument("--bye-slack", type=int, default=60,
                   help="how much longer than the talk a handset waits for the switch's BYE before hanging up (s)")
    s = sub.add_parser("sample")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--api", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--sipp-pids-file")
    s.add_argument("--media-min", type=int, default=12000)
    s.add_argument("--prepaid", type=int, default=4)
    s = sub.add_parser("check")
    s.add_argument("--api", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--data-dir", required=True)
    s.add_argument("--plans", nargs="+", required=True)
    s.add_argument("--accounts", required=True)
    s.add_argument("--sipp-ok", type=int)
    s.add_argument("--steps", help="steps.json of run.sh (maps SIPp Call-IDs to plan rows)")
    s.add_argument("--offered", type=int, help="calls offered by the handsets")
    s.add_argument("--shed", type=int, default=0, help="calls shed with 503 (no record expected)")
    s.add_argument("--out", required=True)
    s = sub.add_parser("report")
    s.add_argument("--work", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--title", default="Kinline load run")
    s.add_argument("--tail", type=float, default=0.0, help="seconds after a step's last call counted with it")
    a = p.parse_args()
    rc = {"pcaps": cmd_pcaps, "provision": cmd_provision, "plan": cmd_plan, "sample": cmd_sample,
          "check": cmd_check, "report": cmd_report}[a.cmd](a)
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
