#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The verdict of one VM scenario: what it declared against what arrived.

usage: verdict.py --name NAME --scenario FILE --guest-tap FILE --console FILE
                  --qemu-status N --timeout S --smp N --kernel DIR
                  [--host-tap FILE] [--host-status N] [--tests-dir DIR]

Prints flat TAP ("ok - NAME: ...", "not ok - NAME: ...") on stdout, one
line per result, and exits 1 if any is "not ok".  Every result a scenario
declares is printed exactly once: received, or "missing" with the reason
(panic, timeout, QEMU crash, shell died).  Nothing that fails can vanish
from the count.

The scenario declares, in header lines at its top:
  # results: N          how many check/skip results the guest prints
  # host-check: N       how many results its .host.sh prints (the script
                        must exist and be executable)
  # kunit: FILE         the KUnit suites and cases it runs (relative to
                        tests/): one "suite case" per line
  # expect-warning: RE  WARNING lines it provokes on purpose (must appear)

Then, for every scenario, the host adds these results:
  guest ran to completion       (named failure: panic, timeout, ...)
  guest saw N CPUs              (-smp N: a kernel that sees fewer fails)
  kernel log free of warnings   (WARNING, BUG, Oops, lockdep, KASAN, UBSAN,
                                 KFENCE, hung task, soft lockup)
  no kmemleak report naming a module of this tree  (debug kernels)
"""
import argparse
import contextlib
import importlib
import inspect
import io
import os
import re
import sys

RESULT = re.compile(r"^(not ok|ok) (\d+)(?: - (.*))?$")
SKIP = re.compile(r"#\s*SKIP\b\s*(.*)$", re.I)
# Console lines that fail a run wherever they appear.
BAD = re.compile(
    r"WARNING:|BUG:|Oops|Kernel panic|possible recursive locking|"
    r"circular locking|inconsistent lock state|lock held when returning|"
    r"UBSAN:|KASAN:|KFENCE:|blocked for more than|soft lockup|"
    r"hard LOCKUP|list_add corruption|list_del corruption|"
    r"sleeping function called from invalid context|"
    r"scheduling while atomic")
# Modules of this tree: a leak whose stack runs through one of them counts.
OUR_MODULES = re.compile(r"\[(pseudoscopic\w*|soft_dma|ps_planted\w*)\]")
CONSOLE_TAIL = 40


def headers(path):
    """The '# key: value' lines at the top of a scenario (first wins)."""
    out = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"^# ([a-z-]+): *(.*)$", line)
            if m and m.group(1) not in out:
                out[m.group(1)] = m.group(2).strip()
    return out


def series_of(kernel):
    """6.12 or 7.3: the kernel series of a test kernel's cache directory."""
    release = "".join(read_lines(os.path.join(kernel, "release")))
    m = re.match(r"^(\d+\.\d+)", release)
    return m.group(1) if m else "?"


def declared_results(value, series):
    """'# results: N' (every kernel) or '# results: 6.12=N 7.3=M' (a test
    program that checks more where the kernel can do more)."""
    value = value.strip()
    if re.fullmatch(r"\d+", value):
        return int(value)
    for word in value.split():
        k, _, n = word.partition("=")
        if k == series and n.isdigit():
            return int(n)
    return None


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


class Verdict:
    """Collects results and prints them as flat TAP."""

    def __init__(self, name):
        self.name = name
        self.failed = 0
        self.lines = []

    def add(self, ok, text, diag=()):
        if not ok:
            self.failed += 1
        self.lines.append(f"{'ok' if ok else 'not ok'} - {self.name}: {text}")
        self.lines.extend("# " + d for d in diag)

    def skip(self, text, reason):
        self.lines.append(f"ok - {self.name}: {text} # SKIP {reason}")


def split_guest_tap(lines):
    """Guest results by number, the plan, the exit status and the blocks
    (KTAP, kmemleak, module addresses) the guest sent."""
    results, dups, plan, status = {}, [], None, None
    blocks, notes = {}, []
    block = None
    for line in lines:
        m = re.match(r"^# (\w[\w-]*)-begin\b ?(.*)$", line)
        if m and block is None:
            block = (m.group(1), m.group(2).strip(), [])
            continue
        if block is not None:
            if line.startswith(f"# {block[0]}-end"):
                blocks.setdefault(block[0], []).append((block[1], block[2], True))
                block = None
            else:
                block[2].append(line)
            continue
        m = RESULT.match(line)
        if m:
            n = int(m.group(2))
            if n in results:
                dups.append(n)
            results[n] = (m.group(1) == "ok", m.group(3) or "")
            continue
        m = re.match(r"^1\.\.(\d+)$", line)
        if m:
            plan = int(m.group(1))
            continue
        m = re.match(r"^# scenario exit status (\d+)$", line)
        if m:
            status = int(m.group(1))
        elif line.startswith("#"):
            notes.append(line)
    if block is not None:
        blocks.setdefault(block[0], []).append((block[1], block[2], False))
    return results, dups, plan, status, blocks, notes


def outcome(qemu_status, timeout, console, guest_status, plan):
    """Why the guest stopped early: None when it ran to completion."""
    text = "\n".join(console)
    if qemu_status in (124, 137):
        return f"timed out after {timeout}s"
    if "Kernel panic" in text:
        m = re.search(r"Kernel panic - not syncing: ?(.*)", text)
        return "kernel panic" + (f" ({m.group(1).strip()})" if m else "")
    if guest_status is None:
        if qemu_status == 0:
            return "guest rebooted or stopped without reporting (QEMU status 0)"
        return f"guest stopped without an exit status (QEMU status {qemu_status})"
    # isa-debug-exit: QEMU exits with (code << 1) | 1 when the guest asks.
    if qemu_status != ((guest_status << 1) | 1) & 0xff:
        return f"QEMU exited with status {qemu_status} after the scenario"
    if plan is None:
        if guest_status >= 128:
            return f"scenario shell killed by signal {guest_status - 128}"
        return f"guest printed no plan (scenario exit status {guest_status})"
    return None


def cpus_seen(console):
    for line in console:
        m = re.search(r"smp: Brought up \d+ nodes?, (\d+) CPUs?", line)
        if m:
            return int(m.group(1))
    for line in console:
        m = re.search(r"nr_cpu_ids:(\d+)", line)
        if m:
            return int(m.group(1))
    return None


def load_kunit_parser(kernel):
    """kunit_parser from the test kernel's own tree."""
    path = os.path.join(kernel, "build", "tools", "testing", "kunit")
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module("kunit_parser")


def parse_ktap(kp, lines):
    """Parse one KTAP document with the kernel's parser; its Test tree.
    The parser reports as it goes (a Printer on stdout in 6.12, a printer
    argument later): both are sent to a sink."""
    printer = importlib.import_module("kunit_printer")
    sink = io.StringIO()
    fn = kp.parse_run_tests
    args = [iter(lines)]
    if "printer" in inspect.signature(fn).parameters:
        args.append(printer.Printer(sink))
    saved = printer.stdout._output
    printer.stdout._output = sink
    try:
        with contextlib.redirect_stdout(sink):
            return fn(*args)
    finally:
        printer.stdout._output = saved


def kunit_results(kp, blocks):
    """{(suite, case): (status, skip reason)} and parse errors, from the
    debugfs results the guest sent (one KTAP document per suite)."""
    got, errors = {}, []
    for name, lines, complete in blocks:
        if not complete:
            errors.append(f"KTAP of {name} truncated (guest stopped mid-block)")
        top = parse_ktap(kp, lines)
        if top.counts.errors:
            errors.append(f"KTAP of {name}: {top.counts.errors} parse error(s)")
        for suite in top.subtests:
            for case in suite.subtests:
                reason = ""
                for line in lines:
                    m = re.match(rf"^\s*ok \d+ {re.escape(case.name)}\s+#\s*SKIP\s*(.*)$", line)
                    if m:
                        reason = m.group(1).strip()
                got[(suite.name, case.name)] = (case.status.name, reason)
            if not suite.subtests:
                got[(suite.name, "")] = (suite.status.name, "")
    return got, errors


def read_manifest(path):
    cases = []
    for line in read_lines(path):
        line = line.split("#", 1)[0].strip()
        if line:
            suite, case = line.split()
            cases.append((suite, case))
    return cases


def kmemleak_reports(lines):
    """Leak reports (as lists of lines) from /sys/kernel/debug/kmemleak."""
    reports, cur = [], None
    for line in lines:
        if line.startswith("unreferenced object"):
            cur = [line]
            reports.append(cur)
        elif cur is not None:
            cur.append(line)
    return reports


def module_ranges(lines):
    """(name, start, end) of every module the guest unloaded or had loaded
    at the end, from /proc/modules lines it recorded."""
    out = []
    for line in lines:
        f = line.split()
        addr = [w for w in f[2:] if w.startswith("0x")]
        if len(f) >= 2 and f[1].isdigit() and addr:
            start = int(addr[0], 16)
            out.append((f[0], start, start + int(f[1])))
    return out


def names_our_module(report, ranges):
    text = "\n".join(report)
    if OUR_MODULES.search(text):
        return True
    # An unloaded module's frames print as bare addresses ("0xffff..." on
    # 7.x, "[<ffff...>] 0xffff..." on 6.12): attribute them through the
    # load addresses the guest recorded.
    for m in re.finditer(r"(?<![\w<])0x([0-9a-f]{16})\b", text):
        addr = int(m.group(1), 16)
        for name, lo, hi in ranges:
            if lo <= addr < hi and OUR_MODULES.match(f"[{name}]"):
                return True
    return False


def allowed_skips(tests_dir):
    """Skip reason identifiers Documentation/testing.md lists, with the
    kernel option (if any) that rules the reason out."""
    doc = os.path.join(tests_dir, "..", "Documentation", "testing.md")
    out = {}
    for line in read_lines(doc):
        m = re.match(r"^\| `([a-z0-9-]+)` \| (`CONFIG_\w+`|-) \|", line)
        if m:
            out[m.group(1)] = m.group(2).strip("`") if m.group(2) != "-" else None
    return out


def kernel_config(kernel):
    cfg = {}
    for line in read_lines(os.path.join(kernel, "build", ".config")):
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            cfg[m.group(1)] = m.group(2)
    return cfg


def judge_skip(v, text, reason, skips, cfg):
    """A skip counts as a skip only with a listed platform reason that the
    kernel's configuration does not rule out."""
    ident = reason.split(":", 1)[0].strip()
    if ident not in skips:
        v.add(False, f"{text} (skipped for a reason not listed in "
              f"Documentation/testing.md: {reason!r})")
    elif skips[ident] and cfg.get(skips[ident]) in ("y", "m"):
        v.add(False, f"{text} (skipped as {ident}, but the kernel has "
              f"{skips[ident]})")
    else:
        v.skip(text, reason)


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--guest-tap", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--qemu-status", type=int, required=True)
    ap.add_argument("--timeout", type=int, required=True)
    ap.add_argument("--smp", type=int, required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--host-tap")
    ap.add_argument("--host-status", type=int, default=0)
    ap.add_argument("--tests-dir",
                    default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    a = ap.parse_args(argv)

    h = headers(a.scenario)
    v = Verdict(a.name)
    console = read_lines(a.console)
    results, dups, plan, gstatus, blocks, notes = split_guest_tap(read_lines(a.guest_tap))
    # The guest's diagnostics ("# ..." lines outside blocks) come first:
    # measurements and offsets that make bench and make demo read.
    v.lines.extend(notes)
    why = outcome(a.qemu_status, a.timeout, console, gstatus, plan)
    skips = allowed_skips(a.tests_dir)
    cfg = kernel_config(a.kernel)

    # 1. The guest's own results, exactly as many as declared.
    declared = declared_results(h.get("results", ""), series_of(a.kernel))
    if declared is None:
        v.add(False, f"scenario declares its results for {series_of(a.kernel)} "
              f"('# results: N' or '# results: 6.12=N 7.3=M' header missing)")
    # Without a declaration, every result that arrived still counts.
    last = declared if declared is not None else max(results, default=0)
    for n in range(1, last + 1):
        if n in results:
            ok, text = results.pop(n)
            sm = SKIP.search(text)
            if ok and sm:
                judge_skip(v, SKIP.sub("", text).strip(), sm.group(1).strip(), skips, cfg)
            else:
                v.add(ok, text)
        elif declared is not None:
            v.add(False, f"result {n} of {declared} missing ({why or 'never printed'})")
    for n in sorted(results):
        ok, text = results[n]
        v.add(False, f"undeclared result {n} ({'ok' if ok else 'not ok'}: {text})")
    for n in dups:
        v.add(False, f"result {n} printed twice")

    # 2. The host-side check, when declared.
    host = h.get("host-check")
    script = re.sub(r"\.sh$", ".host.sh", a.scenario)
    if host is not None:
        try:
            nhost = int(host)
        except ValueError:
            nhost = None
            v.add(False, f"'# host-check: {host}' is not a number of results")
        if nhost is not None:
            hres, _, _, _, _, _ = split_guest_tap(read_lines(a.host_tap) if a.host_tap else [])
            missing = "host check script missing" if not os.access(script, os.X_OK) \
                else f"host check exited with status {a.host_status}"
            for n in range(1, nhost + 1):
                if n in hres:
                    ok, text = hres.pop(n)
                    v.add(ok, text)
                else:
                    v.add(False, f"host result {n} of {nhost} missing ({missing})")
            for n in sorted(hres):
                v.add(False, f"undeclared host result {n}: {hres[n][1]}")
    elif os.path.exists(script):
        v.add(False, f"{os.path.basename(script)} exists but the scenario declares no host-check")

    # 3. KUnit suites and cases, against the scenario's manifest.
    manifest = h.get("kunit")
    if manifest:
        expected = read_manifest(os.path.join(a.tests_dir, manifest))
        if not expected:
            v.add(False, f"KUnit manifest {manifest} lists no cases")
        try:
            kp = load_kunit_parser(a.kernel)
            got, errors = kunit_results(kp, blocks.get("ktap", []))
        except Exception as e:  # the kernel's parser failed: say so, count it
            got, errors = {}, [f"kunit_parser failed: {e!r}"]
        for e in errors:
            v.add(False, e)
        for suite, case in expected:
            r = got.pop((suite, case), None)
            label = f"kunit {suite}: {case}"
            if r is None:
                if (suite, "") in got or any(s == suite for s, _ in got):
                    v.add(False, f"{label} did not run")
                else:
                    v.add(False, f"{label} missing (suite did not run: {why or 'not in the results'})")
            elif r[0] == "SKIPPED":
                judge_skip(v, label, r[1], skips, cfg)
            else:
                v.add(r[0] == "SUCCESS", label + ("" if r[0] == "SUCCESS" else f" ({r[0]})"))
        for (suite, case), r in sorted(got.items()):
            v.add(False, f"kunit {suite}: {case or '(suite)'} not declared in {manifest} ({r[0]})")

    # 4. What the host checks for every scenario.
    if why is None and declared is not None and plan != declared:
        why = f"guest plan 1..{plan}, {declared} declared"
    v.add(why is None, "guest ran to completion" + (f" ({why})" if why else
                                                    f" (exit status {gstatus})"))
    if why is not None:
        v.lines.extend("# console: " + line for line in console[-CONSOLE_TAIL:])
    seen = cpus_seen(console)
    v.add(seen is not None and seen >= a.smp,
          f"guest saw {a.smp} CPUs (saw {seen if seen is not None else 'none reported'})")
    expect = h.get("expect-warning")
    bad = [line for line in console if BAD.search(line)]
    if expect:
        wanted = [line for line in bad if re.search(rf"WARNING:.*({expect})", line)]
        v.add(bool(wanted), f"expected warning seen ({expect})")
        bad = [line for line in bad if line not in wanted]
    v.add(not bad, "kernel log free of warnings", bad[:8])
    leaks = blocks.get("kmemleak")
    if cfg.get("CONFIG_DEBUG_KMEMLEAK") == "y":
        if not leaks or not leaks[-1][2]:
            v.add(False, f"kmemleak scanned at the end ({why or 'no report received'})")
        else:
            ranges = module_ranges(sum((b[1] for b in blocks.get("modules", [])), []))
            ours = [r for r in kmemleak_reports(leaks[-1][1]) if names_our_module(r, ranges)]
            v.add(not ours, f"no kmemleak report naming a module of this tree ({len(ours)} found)",
                  sum(ours[:3], []))
    print("\n".join(v.lines))
    print(f"# verdict complete {a.name}")
    return 1 if v.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
