#!/usr/bin/env python3
"""Helper of tests/cluster/run.sh: samples the cluster's processes, checks every call after a run
(with a node killed in the middle of it) and writes the report.

  sample --out CSV --node-pid-file a=F ... --pg-pid-file F --kamailio-pid P --sipp-pids-file F
        once a second: CPU of each node, of PostgreSQL (all its processes), of Kamailio (all), of SIPp
  check  --work DIR --api a=URL ... --token-file F --accounts F --kamailio-log F --events F --out JSON
        every planned call has exactly one record with the outcome its kind expects, or, if node B's
        SIGKILL cut it, a switch_restart record written when B came back; no call went to B while
        Kamailio had it down; B took calls again after its restart; charges = balance decreases,
        nothing held, nothing open; every recording is served by every node
  report --work DIR --out MD --title T

Standard library only; tests/load/loadtool.py provides the call kinds, the admin API client and the
WAV check.
"""
import argparse
import csv
import glob
import json
import os
import re
import struct
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "load"))
import loadtool  # noqa: E402  (tests/load/loadtool.py)

KL_LINE = re.compile(r"KL (route|failover|silent|unanswered|down|up|nonode|exhausted|unsent) (\S+)(?: (\S+))? at ([0-9.]+)")


# ---------------------------------------------------------------------------------------------- sampler

def children_of(root):
    """The pid and every descendant of it (PostgreSQL backends, Kamailio workers)."""
    parents = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def ticks(pids):
    total = 0
    for p in pids:
        try:
            total += loadtool.read_cpu_ticks(p)
        except (OSError, ValueError, IndexError):
            pass
    return total


def read_pid(path, first_line=True):
    try:
        with open(path) as f:
            return int(f.readline().strip() if first_line else f.read().strip())
    except (OSError, ValueError):
        return None


def cmd_sample(a):
    hz = os.sysconf("SC_CLK_TCK")
    nodes = dict(x.split("=", 1) for x in a.node_pid_file)
    names = ["node_" + n for n in sorted(nodes)] + ["postgres", "kamailio", "sipp"]
    last = {}
    t0 = time.time()
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t", "epoch"] + ["cpu_" + n for n in names])
        while True:
            time.sleep(1.0)
            now = time.time()
            groups = {}
            for n, pf in nodes.items():
                pid = read_pid(pf)
                groups["node_" + n] = [pid] if pid and os.path.exists("/proc/%d" % pid) else []
            pg = read_pid(a.pg_pid_file)
            groups["postgres"] = children_of(pg) if pg else []
            groups["kamailio"] = children_of(a.kamailio_pid)
            sipp = []
            if os.path.exists(a.sipp_pids_file):
                with open(a.sipp_pids_file) as pf:
                    sipp = [int(x) for x in pf.read().split() if x.isdigit() and os.path.exists("/proc/" + x)]
            groups["sipp"] = sipp
            row = ["%.1f" % (now - t0), "%.3f" % now]
            for name in names:
                # per process, so a restarted node or an ended SIPp does not count as negative CPU
                pct = 0.0
                for p in groups.get(name, []):
                    c = ticks([p])
                    prev = last.get(p)
                    last[p] = (c, now)
                    if prev and c >= prev[0]:
                        pct += 100.0 * (c - prev[0]) / hz / max(1e-3, now - prev[1])
                row.append("%.1f" % pct)
            w.writerow(row)
            f.flush()


# ---------------------------------------------------------------------------------------------- checks

def epoch(iso):
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()

def parse_events(path):
    ev = {"kills": [], "starts": {}, "healthy": {}, "steps": []}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            t = float(parts[0])
            if parts[1] == "kill":
                ev["kills"].append((parts[2], t))
            elif parts[1] == "start":
                ev["starts"].setdefault(parts[2], []).append(t)
            elif parts[1] == "healthy":
                ev["healthy"].setdefault(parts[2], []).append(t)
            elif parts[1] == "step":
                ev["steps"].append({"name": parts[2], "rate": int(parts[4]), "calls": int(parts[6]),
                                    "pid": parts[8], "t": t})
            elif parts[1] == "load" and parts[2] == "start":
                ev["load_start"] = t
    return ev


def parse_kamailio(path, node_of_port):
    """Per Call-ID the node Kamailio sent the INVITE to last (after any failover), when the INVITE first
    came, and the nodes' down/up times."""
    calls, downs, ups, other = {}, [], [], []
    with open(path, errors="replace") as f:
        for line in f:
            m = KL_LINE.search(line)
            if not m:
                continue
            kind, a1, a2, t = m.group(1), m.group(2), m.group(3), float(m.group(4))
            if kind in ("route", "failover"):
                port = a2.rsplit(":", 1)[-1].split(";")[0] if a2 else ""
                c = calls.setdefault(a1, {"first": t, "hops": []})
                c["hops"].append((kind, node_of_port.get(port, a2), t))
                c["node"] = node_of_port.get(port, a2)
            elif kind in ("down", "up"):
                # "$ru $du": the node is whichever of the two names a node's port
                node = None
                for uri in (a2, a1):
                    port = (uri or "").rsplit(":", 1)[-1].split(";")[0]
                    node = node or node_of_port.get(port)
                (downs if kind == "down" else ups).append((node or a1, t))
            else:
                other.append((kind, a1, t))
    return calls, downs, ups, other


def sipp_totals(stat_csv):
    ok = fl = 0
    try:
        with open(stat_csv) as f:
            rows = [r for r in csv.reader(f, delimiter=";") if r]
    except OSError:
        return None, None
    if len(rows) < 2:
        return 0, 0
    hdr, last = rows[0], rows[-1]
    for k, v in zip(hdr, last):
        if k == "SuccessfulCall(C)":
            ok = int(v or 0)
        elif k == "FailedCall(C)":
            fl = int(v or 0)
    return ok, fl


def cmd_check(a):
    apis = dict(x.split("=", 1) for x in a.api)
    api = loadtool.Api(apis[sorted(apis)[0]], a.token_file)
    ev = parse_events(a.events)
    node_of_port = {}
    with open(os.path.join(a.work, "dispatcher.list")) as f:
        for line in f:
            m = re.match(r"\s*\d+\s+sip:[^:]+:(\d+)\s.*duid=(\S+)", line)
            if m:
                node_of_port[m.group(1)] = m.group(2)
    kam, downs, ups, kam_other = parse_kamailio(a.kamailio_log, node_of_port)
    kill = ev["kills"][0] if ev["kills"] else None  # (node, time)
    killed_node = kill[0] if kill else None
    t_kill = kill[1] if kill else None
    t_down = next((t for n, t in downs if n == killed_node and t >= t_kill), None) if kill else None
    t_up = next((t for n, t in ups if n == killed_node and t_down and t > t_down), None) if kill else None
    problems, notes = [], []

    # the plan: SIPp's Call-ID is <call number>-<pid>@<ip>; call n used row n-1 of its step's plan
    plan = {}
    for st in ev["steps"]:
        rows = []
        for p in glob.glob(os.path.join(a.work, st["name"], "plan.csv")):
            with open(p) as f:
                rows = [r.strip().split(";") for r in f if r.count(";") == 4]
        for i, r in enumerate(rows):
            plan["%d-%s@127.0.0.1" % (i + 1, st["pid"])] = {"kind": r[4], "step": st["name"], "dialled": r[1]}
    with open(a.accounts) as f:
        before = json.load(f)
    cdrs = loadtool.fetch_cdrs(api, None)
    by_id = {}
    for c in cdrs:
        # The plan and Kamailio know a call by the handset's SIP Call-ID; the switch keys it by its own id.
        sip_id = c.get("sipCallId") or c["callId"]
        if sip_id in by_id:
            problems.append("%s: two records" % sip_id)
        by_id[sip_id] = c

    hit, missing_explained, per_node, rejoined, after_down = [], [], {}, 0, 0
    charges = Decimal("0")
    recorded = []
    rtp_lost = {}
    for cid, p in plan.items():
        k = kam.get(cid)
        node = k["node"] if k else None
        per_node[node] = per_node.get(node, 0) + 1
        rec = by_id.get(cid)
        first = k["first"] if k else None
        if k and t_down and first >= t_down and (t_up is None or first < t_up) and node == killed_node:
            problems.append("%s: sent to %s at +%.1fs, while Kamailio had it down" % (cid, node, first - t_kill))
        if k and t_down and first >= t_down:
            after_down += 1
        if k and t_up and first >= t_up and node == killed_node:
            rejoined += 1
        if rec is None:
            # A call answered (200 OK) by the killed node in the last instant before the kill, before its
            # start row was written (a few ms: no prompt was played), has no trace to reconcile from.
            if kill and node == killed_node and first is not None and t_kill - 1.0 <= first <= t_kill:
                missing_explained.append(cid)
            else:
                problems.append("%s (%s, node %s): no call record" % (cid, p["kind"], node))
            continue
        if rec.get("node") and node and rec["node"] != node:
            problems.append("%s: record says node %s, Kamailio sent it to %s" % (cid, rec["node"], node))
        ch = Decimal(rec.get("charge") or "0")
        charges += ch
        for leg in ("inmateQuality", "calledQuality"):
            q = rec.get(leg) or {}
            rtp_lost[node] = rtp_lost.get(node, 0) + max(0, int(q.get("packetsLost") or 0))
        if rec.get("reason") == "switch_restart":
            hit.append(cid)
            if not kill or node != killed_node:
                problems.append("%s: switch_restart record, but it ran on %s, not on the killed node" % (cid, node))
            elif first is not None and first > t_kill:
                problems.append("%s: switch_restart record for a call that came after the kill" % cid)
            if rec["outcome"] not in ("failed", "cut_off"):
                problems.append("%s: switch_restart with outcome %s" % (cid, rec["outcome"]))
            if rec["outcome"] == "failed" and ch != 0:
                problems.append("%s: failed after the kill, but charged %s" % (cid, ch))
            if rec["outcome"] == "cut_off" and rec.get("recorded") and not rec.get("privileged"):
                recorded.append((cid, rec, True))
            continue
        exp = loadtool.KINDS.get(p["kind"])
        _, outcome, reason, is_recorded, charged = exp
        if rec["outcome"] != outcome or (reason and rec.get("reason") != reason):
            problems.append("%s (%s, node %s): outcome %s/%s, want %s/%s" % (
                cid, p["kind"], node, rec["outcome"], rec.get("reason"), outcome, reason or "*"))
            continue
        if charged and ch <= 0:
            problems.append("%s: completed call charged %s" % (cid, ch))
        if not charged and ch != 0:
            problems.append("%s: %s call charged %s" % (cid, rec["outcome"], ch))
        if is_recorded:
            if not rec.get("recorded"):
                problems.append("%s: not recorded" % cid)
            else:
                recorded.append((cid, rec, False))
    extra = [c for c in by_id if c not in plan]
    if extra:
        problems.append("%d call records of calls nobody planned, e.g. %s" % (len(extra), extra[:3]))

    # the fault and Kamailio
    detect_s = (t_down - t_kill) if (t_down and t_kill) else None
    if kill:
        if t_down is None:
            problems.append("Kamailio never marked %s down after the kill" % killed_node)
        elif detect_s > 5.0:
            problems.append("Kamailio took %.1f s to mark %s down (limit 5 s)" % (detect_s, killed_node))
        restarted = ev["healthy"].get(killed_node, [])
        if len(restarted) >= 2:
            if t_up is None:
                problems.append("%s came back (healthy) but Kamailio never marked it up" % killed_node)
            elif rejoined == 0 and any(st["t"] + st["calls"] / max(1, st["rate"]) > t_up + 3 for st in ev["steps"]):
                problems.append("%s was up again while calls were offered, but took none" % killed_node)
    for kind, cid, t in kam_other:
        if kind in ("nonode", "exhausted", "unsent"):
            problems.append("Kamailio: %s for %s at %.1f" % (kind, cid, t - (t_kill or t)))

    # money: every charge came out of an account, nothing is left held, no prepaid balance below zero
    decrease, held = Decimal("0"), Decimal("0")
    for iid, bal in before["debit"].items():
        now = api.call("GET", "/api/accounts/debit/" + iid)
        decrease += Decimal(bal) - Decimal(now["balance"])
        held += Decimal(now["held"])
    for btn, bal in before["prepaid"].items():
        now = api.call("GET", "/api/accounts/prepaid/" + urllib.parse.quote(btn))
        decrease += Decimal(bal) - Decimal(now["balance"])
        held += Decimal(now["held"])
        if Decimal(now["balance"]) < 0 or Decimal(now["available"]) < 0:
            problems.append("prepaid %s below zero: %s" % (btn, now))
    all_charges = sum((Decimal(c.get("charge") or "0") for c in cdrs), Decimal("0"))
    if decrease != all_charges:
        problems.append("charges in call records %s != balance decreases %s" % (all_charges, decrease))
    if held != 0:
        problems.append("%s still held after all calls ended and the killed node reconciled" % held)
    open_calls = 0
    for n, url in apis.items():
        try:
            open_calls += loadtool.Api(url, a.token_file).call("GET", "/api/calls")["count"]
        except Exception as e:  # a node that is down is no open call
            notes.append("node %s: /api/calls: %s" % (n, e))
    if open_calls:
        problems.append("%d calls still open after the run" % open_calls)

    # recordings: each one valid, and served by every node (shared storage)
    served = wav_checked = 0
    cut_losses = []
    sample = recorded if len(recorded) <= a.max_downloads else recorded[:: max(1, len(recorded) // a.max_downloads)]
    for cid, rec, cut in sample:
        for n, url in sorted(apis.items()):
            req = urllib.request.Request(url + "/api/recordings/" + urllib.parse.quote(rec["callId"], safe=""))
            req.add_header("Authorization", "Bearer " + api.token)
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    body = r.read()
                served += 1
            except Exception as e:
                problems.append("%s: recording not served by node %s: %s" % (cid, n, e))
                continue
        talk = loadtool.iso_seconds(rec["acceptedAt"], rec["endedAt"]) if rec.get("acceptedAt") else 0
        path = os.path.join(a.work, "check-%s.wav" % re.sub(r"[^A-Za-z0-9._-]", "_", cid))
        with open(path, "wb") as f:
            f.write(body)
        if cut:
            # A call cut by the kill is recorded from its acceptance to shortly before the kill: the recorder commits
            # audio 0.3 s behind the streams and flushes every 0.5 s, so 0.8 s nominally; on a busy machine its
            # writer threads fall behind (measured up to 2.5 s on the shared 2-core machine, see check.json's
            # cut_recording_loss_max_s). Allowed: up to 3 s lost, nothing beyond the kill.
            talked = t_kill - epoch(rec["acceptedAt"])
            r = loadtool.wav_check(path, max(0.0, talked - 3.0), talked + 1.0)
            if "seconds" in r:
                cut_losses.append(talked - r["seconds"])
            if talked < 3.5 and r.get("error", "").startswith("no audio"):
                r.pop("error")  # too short for the tone checks, which skip a second at each end
        else:
            r = loadtool.wav_check(path, talk - 1.5, talk + 1.5)
        os.remove(path)
        wav_checked += 1
        if "error" in r:
            problems.append("%s%s: recording: %s" % (cid, " (cut by the kill)" if cut else "", r["error"]))

    # SIPp: every failed call is one the kill cut
    uac_ok = uac_failed = 0
    for st in ev["steps"]:
        ok, fl = sipp_totals(os.path.join(a.work, st["name"], "stat.csv"))
        uac_ok += ok or 0
        uac_failed += fl or 0
    uas_ok, uas_failed = sipp_totals(os.path.join(a.work, "uas", "stat.csv"))
    cut = len(hit) + len(missing_explained)
    if uac_failed > cut:
        problems.append("%d handset calls failed, only %d were cut by the kill" % (uac_failed, cut))
    if (uas_failed or 0) > cut:
        problems.append("%d called-party calls failed, only %d were cut by the kill" % (uas_failed, cut))

    listen = None
    listen_file = os.path.join(a.work, "listen.json")
    if os.path.exists(listen_file):
        with open(listen_file) as f:
            listen = json.load(f)
        if not listen.get("ok"):
            problems.append("live listening across nodes: %s" % listen.get("problem"))
    elif any("-rejoin-" in st["name"] for st in ev["steps"]):
        problems.append("live listening across nodes was not tried (no listen.json)")
    step_of_pid = {st["pid"]: st["name"] for st in ev["steps"]}
    problems_by_step = {}
    for p in problems:
        pid = p.split(" ")[0].partition("-")[2].split("@")[0]
        name = step_of_pid.get(pid, "run")
        problems_by_step[name] = problems_by_step.get(name, 0) + 1
    result = {
        "problems_by_step": problems_by_step,
        "listen_across_nodes": listen,
        "planned": len(plan), "records": len(cdrs), "per_node": {str(k): v for k, v in per_node.items()},
        "killed_node": killed_node, "kill_to_down_s": detect_s,
        "restart_to_healthy_s": (ev["healthy"].get(killed_node, [0, 0])[-1] - ev["starts"].get(killed_node, [0, 0])[-1])
        if kill and len(ev["healthy"].get(killed_node, [])) >= 2 else None,
        "healthy_to_up_s": (t_up - ev["healthy"][killed_node][-1]) if (t_up and kill) else None,
        "calls_cut_by_kill": len(hit), "cut_unrecorded_before_start_row": len(missing_explained),
        "cut_outcomes": {o: sum(1 for c in hit if by_id[c]["outcome"] == o) for o in ("failed", "cut_off")},
        "calls_after_down": after_down, "calls_on_rejoined_node": rejoined,
        "failovers": sum(1 for c in kam.values() if any(h[0] == "failover" for h in c["hops"])),
        "charges": str(all_charges), "balance_decrease": str(decrease), "held_after": str(held),
        "open_calls_after": open_calls, "recordings_checked": wav_checked, "recording_downloads": served,
        "cut_recording_loss_max_s": max(cut_losses) if cut_losses else None,
        "rtp_packets_lost_at_switch": {str(k): v for k, v in rtp_lost.items()},
        "sipp_handsets": {"ok": uac_ok, "failed": uac_failed}, "sipp_called": {"ok": uas_ok, "failed": uas_failed},
        "problems": problems[:200], "problem_count": len(problems), "notes": notes,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print("check: %d planned, %d records (per node %s); kill -> down %s s; %d calls cut by the kill (%s, %d "
          "unrecorded before their start row), %d after Kamailio noticed, %d on the rejoined node, %d failovers; "
          "charges %s = decreases %s, held %s; %d recordings checked, %d downloads; SIPp handsets %d ok / %d failed, "
          "called %s ok / %s failed: %s"
          % (len(plan), len(cdrs), result["per_node"], loadtool.fmt(detect_s), len(hit), result["cut_outcomes"],
             len(missing_explained), after_down, rejoined, result["failovers"], all_charges, decrease, held,
             wav_checked, served, uac_ok, uac_failed, uas_ok, uas_failed,
             "OK" if not problems else "%d PROBLEMS" % len(problems)))
    for p in problems[:20]:
        print("  - " + p)
    return 0 if not problems else 1


# ---------------------------------------------------------------------------------------------- listen

def ws_request(url, token, read_seconds=0.0):
    """A WebSocket upgrade request on a raw socket: (status, headers, binary frames read in read_seconds)."""
    import base64
    import socket
    u = urllib.parse.urlsplit(url)
    s = socket.create_connection((u.hostname, u.port), timeout=10)
    try:
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n"
                   % (path, u.hostname, u.port, key, token)).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        frames = 0
        if status == 101 and read_seconds > 0:
            end = time.time() + read_seconds
            s.settimeout(0.5)
            while time.time() < end:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                rest += chunk
                while len(rest) >= 2:  # server frames are unmasked
                    op, n, off = rest[0] & 0x0F, rest[1] & 0x7F, 2
                    if n == 126:
                        if len(rest) < 4:
                            break
                        n, off = struct.unpack("!H", rest[2:4])[0], 4
                    elif n == 127:
                        if len(rest) < 10:
                            break
                        n, off = struct.unpack("!Q", rest[2:10])[0], 10
                    if len(rest) < off + n:
                        break
                    if op == 2:
                        frames += 1
                    rest = rest[off + n:]
        return status, headers, frames
    finally:
        s.close()


def cmd_listen(a):
    """Live listening across nodes: a talking call on one node, asked for on the other, is sent (307) to the node
    that carries it, where the WebSocket opens and the audio flows."""
    apis = dict(x.split("=", 1) for x in a.api)
    with open(a.token_file) as f:
        token = f.read().strip()
    result = {"ok": False}
    deadline = time.time() + a.timeout
    while time.time() < deadline and not result["ok"]:
        for owner, url in sorted(apis.items()):
            try:
                calls = loadtool.Api(url, a.token_file).call("GET", "/api/calls")["calls"]
            except Exception:
                continue
            talking = [c for c in calls if c.get("state") == "talking" and not c.get("privileged")]
            if not talking:
                continue
            cid = talking[0]["callId"]
            other = next(u for n, u in sorted(apis.items()) if n != owner)
            path = "/api/calls/%s/listen" % urllib.parse.quote(cid, safe="")
            status, headers, _ = ws_request(other + path, token)
            result.update({"call": cid, "owner": owner, "asked": other, "first_status": status,
                           "location": headers.get("location")})
            if status != 307 or not headers.get("location", "").startswith(url):
                result["problem"] = "the other node answered %d, Location %s" % (status, headers.get("location"))
                break
            status2, _, frames = ws_request(headers["location"], token, read_seconds=1.5)
            result.update({"followed_status": status2, "frames_in_1_5_s": frames})
            if status2 == 101 and frames >= 10:
                result["ok"] = True
                result.pop("problem", None)
                break
            result["problem"] = "following the redirect: %d, %d frames" % (status2, frames)
        if not result["ok"]:
            time.sleep(1)
    if not result["ok"] and "problem" not in result:
        result["problem"] = "no talking call found on any node in %d s" % a.timeout
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print("listen across nodes: %s" % json.dumps(result))
    return 0 if result["ok"] else 1


# ---------------------------------------------------------------------------------------------- bench

def overlap_peak(spans):
    edges = sorted([(b, 1) for b, _ in spans] + [(e, -1) for _, e in spans])
    now = peak = 0
    for _, d in edges:  # an end sorts before a start at the same instant
        now += d
        peak = max(peak, now)
    return peak


def cmd_bench(a):
    """Per step of a --bench run: offered and failed calls, IVR setup times, calls open and recorded at once,
    and the CPU of each process (mean over the step, less its first 2 s)."""
    apis = dict(x.split("=", 1) for x in a.api)
    api = loadtool.Api(apis[sorted(apis)[0]], a.token_file)
    ev = parse_events(a.events)
    with open(os.path.join(a.work, "samples.csv")) as f:
        samples = list(csv.DictReader(f))
    cpu_cols = [k for k in (samples[0].keys() if samples else []) if k.startswith("cpu_")]
    by_id = {c.get("sipCallId") or c["callId"]: c for c in loadtool.fetch_cdrs(api, None)}
    rows, phases = [], {}
    for st in ev["steps"]:
        secs = st["calls"] / max(1, st["rate"])
        t0, t1 = st["t"], st["t"] + secs
        win = [r for r in samples if t0 + 2 <= float(r["epoch"]) <= t1]
        cpu = {k[4:]: mean([float(r[k]) for r in win]) for k in cpu_cols}
        ok, failed = sipp_totals(os.path.join(a.work, st["name"], "stat.csv"))
        ids = ["%d-%s@127.0.0.1" % (i + 1, st["pid"]) for i in range(st["calls"])]
        recs = [by_id[i] for i in ids if i in by_id]
        setup = sorted(loadtool.iso_seconds(r["startedAt"], r["acceptedAt"]) for r in recs if r.get("acceptedAt"))
        talking = [(epoch(r["acceptedAt"]), epoch(r["endedAt"])) for r in recs
                   if r.get("recorded") and r.get("acceptedAt") and r.get("endedAt")]
        opened = [(epoch(r["startedAt"]), epoch(r["endedAt"])) for r in recs if r.get("endedAt")]
        label = st["name"].split("-")[1]
        ph = phases.setdefault(label, {"talking": [], "open": []})
        ph["talking"] += talking
        ph["open"] += opened
        pct = lambda p: setup[min(len(setup) - 1, int(p * len(setup)))] if setup else None
        rows.append({"phase": label, "step": st["name"], "cps": st["rate"], "seconds": secs, "calls": st["calls"],
                     "ok": ok, "failed": failed, "records": len(recs), "setup_p50": pct(0.5), "setup_p99": pct(0.99),
                     "recorded_at_once": overlap_peak(talking), "open_at_once": overlap_peak(opened),
                     "cpu": cpu, "cpu_total": sum(cpu.values())})
    # After a plateau's arrivals, nothing new for a while: from 7 s on (the last calls' IVR over) to 20 s (before the
    # first calls end, with 45 s talk), every call is talking and being recorded, and nothing else happens.
    starts = sorted(st["t"] for st in ev["steps"])
    for r, st in zip(rows, ev["steps"]):
        t1 = st["t"] + st["calls"] / max(1, st["rate"])
        nxt = min([t for t in starts if t > st["t"]] or [float("inf")])
        if nxt - t1 >= 45:
            win = [x for x in samples if t1 + 7 <= float(x["epoch"]) <= t1 + 20]
            if win:
                r["talking_only"] = {"cpu": {k[4:]: mean([float(x[k]) for x in win]) for k in cpu_cols},
                                     "recorded": r["recorded_at_once"]}
    result = {"steps": rows, "phases": {k: {"recorded_at_once": overlap_peak(v["talking"]),
                                            "open_at_once": overlap_peak(v["open"])} for k, v in phases.items()}}
    with open(os.path.join(a.work, "bench.json"), "w") as f:
        json.dump(result, f, indent=1)
    for r in rows:
        print("%-22s %3d CPS %4d calls: %4s ok %3s failed; setup p50 %s p99 %s s; %4d open / %4d recorded at once; "
              "CPU %s = %.0f %%" % (r["step"], r["cps"], r["calls"], r["ok"], r["failed"], loadtool.fmt(r["setup_p50"]),
                                    loadtool.fmt(r["setup_p99"]), r["open_at_once"], r["recorded_at_once"],
                                    " ".join("%s %.0f" % (k, v) for k, v in r["cpu"].items()), r["cpu_total"]))
    return 0


# ---------------------------------------------------------------------------------------------- report

def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def cmd_report(a):
    with open(os.path.join(a.work, "check.json")) as f:
        check = json.load(f)
    cpu = {}
    try:
        with open(os.path.join(a.work, "samples.csv")) as f:
            rows = list(csv.DictReader(f))
        for k in rows[0]:
            if k.startswith("cpu_"):
                vals = [float(r[k]) for r in rows if r[k]]
                busy = [v for v in vals if v > 0.5] or [0.0]
                cpu[k[4:]] = (mean(busy), max(vals) if vals else 0.0)
    except (OSError, IndexError):
        rows = []
    md = ["# " + a.title, "",
          "Commit %s; load average at the start %s; %d CPUs. Settings: %s." % (a.commit, a.loadavg, os.cpu_count(),
                                                                             a.settings), "",
          "| what | result |", "|---|---|"]
    for k in ("planned", "records", "per_node", "killed_node", "kill_to_down_s", "restart_to_healthy_s",
              "healthy_to_up_s", "calls_cut_by_kill", "cut_outcomes", "cut_unrecorded_before_start_row",
              "calls_after_down", "calls_on_rejoined_node", "failovers", "charges", "balance_decrease", "held_after",
              "open_calls_after", "recordings_checked", "recording_downloads", "cut_recording_loss_max_s",
              "rtp_packets_lost_at_switch", "listen_across_nodes",
              "sipp_handsets", "sipp_called",
              "problem_count"):
        v = check.get(k)
        md.append("| %s | %s |" % (k.replace("_", " "), loadtool.fmt(v, 1) if isinstance(v, float) else v))
    if cpu:
        md += ["", "CPU while busy (100 % = one core): mean / max", "", "| process | mean % | max % |", "|---|---|---|"]
        for k, (m, x) in cpu.items():
            md.append("| %s | %.0f | %.0f |" % (k, m, x))
    bench = os.path.join(a.work, "bench.json")
    if os.path.exists(bench):
        with open(bench) as f:
            b = json.load(f)
        procs = list(b["steps"][0]["cpu"].keys()) if b["steps"] else []
        by_step = check.get("problems_by_step", {})
        md += ["", "Per step (CPU: mean % of one core over the step, less its first 2 s; checks: calls whose record or "
               "recording was not as planned):", "",
               "| phase | step | CPS | calls | SIPp ok | failed | checks failed | IVR setup p50 / p99 s | open at once | "
               "recorded at once | " + " | ".join(procs) + " | all |",
               "|---" * (10 + len(procs) + 1) + "|"]
        for r in b["steps"]:
            md.append("| %s | %s | %d | %d | %s | %s | %d | %s / %s | %d | %d | %s | %.0f |" % (
                r["phase"], r["step"], r["cps"], r["calls"], r["ok"], r["failed"], by_step.get(r["step"], 0),
                loadtool.fmt(r["setup_p50"]), loadtool.fmt(r["setup_p99"]), r["open_at_once"], r["recorded_at_once"],
                " | ".join("%.0f" % r["cpu"][p] for p in procs), r["cpu_total"]))
        for r in b["steps"]:
            if r.get("talking_only"):
                t = r["talking_only"]
                md.append("| %s | after %s: no new calls, %d talking and recorded | | | | | | | | | %s | %.0f |" % (
                    r["phase"], r["step"], t["recorded"], " | ".join("%.0f" % t["cpu"][p] for p in procs),
                    sum(t["cpu"].values())))
        md += ["", "Per phase: " + "; ".join("%s: %d calls open and %d recorded at once at the peak" % (
            k, v["open_at_once"], v["recorded_at_once"]) for k, v in b["phases"].items())]
    if check.get("problems"):
        md += ["", "Problems:", ""] + ["- " + p for p in check["problems"][:50]]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(md) + "\n")
    print("report: " + a.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--out", required=True)
    s.add_argument("--node-pid-file", action="append", default=[])
    s.add_argument("--pg-pid-file", required=True)
    s.add_argument("--kamailio-pid", type=int, required=True)
    s.add_argument("--sipp-pids-file", required=True)
    s = sub.add_parser("check")
    s.add_argument("--work", required=True)
    s.add_argument("--api", action="append", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--accounts", required=True)
    s.add_argument("--kamailio-log", required=True)
    s.add_argument("--events", required=True)
    s.add_argument("--mode", default="smoke")
    s.add_argument("--max-downloads", type=int, default=60)
    s.add_argument("--out", required=True)
    s = sub.add_parser("listen")
    s.add_argument("--api", action="append", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--timeout", type=int, default=25)
    s.add_argument("--out", required=True)
    s = sub.add_parser("bench")
    s.add_argument("--work", required=True)
    s.add_argument("--api", action="append", required=True)
    s.add_argument("--token-file", required=True)
    s.add_argument("--events", required=True)
    s = sub.add_parser("report")
    s.add_argument("--work", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--title", required=True)
    s.add_argument("--loadavg", default="-")
    s.add_argument("--commit", default="-")
    s.add_argument("--settings", default="-")
    a = ap.parse_args()
    return {"sample": cmd_sample, "check": cmd_check, "listen": cmd_listen, "bench": cmd_bench,
            "report": cmd_report}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
