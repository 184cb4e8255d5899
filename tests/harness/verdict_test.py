#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the verdict logic (tests/lib/verdict.py, tapsum.py) on
recorded inputs, no VM: the first half of the harness self-test.

usage: verdict_test.py --kernel DIR     (a test kernel's cache directory,
                                         for its tools/testing/kunit)
Prints TAP.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
VERDICT = os.path.join(TESTS, "lib", "verdict.py")
TAPSUM = os.path.join(TESTS, "lib", "tapsum.py")

BOOT_2CPU = "[    0.300000] smp: Brought up 1 node, 2 CPUs\n"
# A guest that printed one result, its plan and its exit status.
ONE_RESULT = "ok 1 - a\n1..1\n# scenario exit status 0\n"
# The example from issue 11: a failed two-operand expectation prints its
# operands indented deeper than the case's own result line.
KTAP_EXAMPLE = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: suite
    1..3
    ok 1 test_a
    # test_b: EXPECTATION FAILED at x.c:10
    Expected x == y, but
        x == 2 (0x2)
        y == 1 (0x1)
    not ok 2 test_b
    ok 3 test_c
not ok 1 suite
"""


class Case:
    """One recorded run: scenario text, guest TAP, console, QEMU status."""

    def __init__(self, tmp, name, scenario, guest="", console=BOOT_2CPU,
                 qemu=1, host=None, host_script=False, smp=2, config=""):
        self.dir = os.path.join(tmp, name)
        os.makedirs(os.path.join(self.dir, "kernel", "build"))
        self.scenario = os.path.join(self.dir, name + ".sh")
        self.write(self.scenario, scenario)
        if host_script:
            script = os.path.join(self.dir, name + ".host.sh")
            self.write(script, "#!/bin/sh\n")
            os.chmod(script, 0o755)
        self.guest = self.write(os.path.join(self.dir, "guest.tap"), guest)
        self.console = self.write(os.path.join(self.dir, "console.log"), console)
        self.write(os.path.join(self.dir, "kernel", "build", ".config"), config)
        self.host = self.write(os.path.join(self.dir, "host.tap"), host) if host is not None else None
        self.name, self.qemu, self.smp = name, qemu, smp

    @staticmethod
    def write(path, text):
        with open(path, "w") as f:
            f.write(text)
        return path

    def run(self, kernel_tree, tests_dir=TESTS):
        kdir = os.path.join(self.dir, "kernel")
        tools = os.path.join(kdir, "build", "tools")
        if not os.path.exists(tools):
            os.symlink(os.path.join(kernel_tree, "build", "tools"), tools)
        args = [sys.executable, VERDICT, "--name", self.name, "--scenario", self.scenario,
                "--guest-tap", self.guest, "--console", self.console,
                "--qemu-status", str(self.qemu), "--timeout", "60", "--smp", str(self.smp),
                "--kernel", kdir, "--tests-dir", tests_dir]
        if self.host:
            args += ["--host-tap", self.host]
        p = subprocess.run(args, capture_output=True, text=True, check=False)
        return p.returncode, p.stdout + p.stderr


def counts(out):
    lines = out.splitlines()
    return (sum(1 for x in lines if x.startswith("ok ") and "# SKIP" not in x),
            sum(1 for x in lines if x.startswith("not ok ")),
            sum(1 for x in lines if x.startswith("ok ") and "# SKIP" in x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    a = ap.parse_args()
    results = []

    def check(cond, text, out=""):
        results.append((bool(cond), text, out))

    with tempfile.TemporaryDirectory() as tmp:
        # The KTAP example counts exactly one failure (2 passed, 1 failed).
        manifest = Case.write(os.path.join(tmp, "m.kunit"), "suite test_a\nsuite test_b\nsuite test_c\n")
        c = Case(tmp, "ktap", f"# results: 1\n# kunit: {manifest}\n",
                 guest="# ktap-begin suite\n" + KTAP_EXAMPLE + "# ktap-end\nok 1 - loaded\n1..1\n"
                 "# scenario exit status 0\n")
        rc, out = c.run(a.kernel)
        kunit = [x for x in out.splitlines() if " kunit suite: " in x]
        check(rc == 1 and len(kunit) == 3 and sum(x.startswith("not ok") for x in kunit) == 1
              and "not ok - ktap: kunit suite: test_b (FAILURE)" in out,
              "the issue's KTAP example counts 2 passed, 1 failed", out)

        # A panic after one of three results: two missing, each named.
        c = Case(tmp, "panic", "# results: 3\n", guest="ok 1 - first\n",
                 console=BOOT_2CPU + "[    1.0] Kernel panic - not syncing: boom\n", qemu=0)
        rc, out = c.run(a.kernel)
        check(rc == 1 and out.count("missing (kernel panic (boom))") == 2
              and "not ok - panic: guest ran to completion (kernel panic (boom))" in out
              and "# console: [    1.0] Kernel panic" in out,
              "a panic: every missing result counted and named, console tail shown", out)

        # A timeout.
        c = Case(tmp, "hang", "# results: 1\n", qemu=124)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "result 1 of 1 missing (timed out after 60s)" in out,
              "a timeout is named", out)

        # The shell killed by a signal (an oops in the scenario's process).
        c = Case(tmp, "oops", "# results: 2\n", guest="ok 1 - a\n# scenario exit status 137\n",
                 qemu=(137 << 1 | 1) & 0xff)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "result 2 of 2 missing (scenario shell killed by signal 9)" in out,
              "a killed scenario shell is named", out)

        # All results, a plan, a clean exit: green, and counted once each.
        c = Case(tmp, "green", "# results: 2\n",
                 guest="ok 1 - a\nok 2 - b\n1..2\n# scenario exit status 0\n")
        rc, out = c.run(a.kernel)
        check(rc == 0 and counts(out) == (5, 0, 0), "a clean run is green: 2 results + 3 host checks",
              out)

        # A plan that disagrees with the declaration, an undeclared result.
        c = Case(tmp, "extra", "# results: 1\n",
                 guest="ok 1 - a\nok 2 - b\n1..2\n# scenario exit status 0\n")
        rc, out = c.run(a.kernel)
        check(rc == 1 and "undeclared result 2" in out and "guest plan 1..2, 1 declared" in out,
              "an undeclared result and a plan mismatch fail", out)

        # No declaration at all.
        c = Case(tmp, "nodecl", "# nothing\n", guest=ONE_RESULT)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "header missing" in out and "ok - nodecl: a" in out,
              "a missing declaration fails, and what arrived still counts", out)

        # A per-kernel declaration: the count for this kernel's series.
        c = Case(tmp, "perk", "# results: 6.12=1 7.3=2\n",
                 guest=ONE_RESULT)
        Case.write(os.path.join(c.dir, "kernel", "release"), "7.3.4-debug\n")
        rc, out = c.run(a.kernel)
        check(rc == 1 and "result 2 of 2 missing (never printed)" in out,
              "a per-kernel declaration applies this kernel's count", out)

        # Fewer CPUs than -smp asked for.
        c = Case(tmp, "up", "# results: 1\n", guest=ONE_RESULT,
                 console="[    0.3] smp: Brought up 1 node, 1 CPU\n")
        rc, out = c.run(a.kernel)
        check(rc == 1 and "not ok - up: guest saw 2 CPUs (saw 1)" in out,
              "a uniprocessor boot under -smp 2 fails", out)

        # A declared host check whose script is missing; an undeclared one.
        c = Case(tmp, "nohost", "# results: 1\n# host-check: 1\n",
                 guest=ONE_RESULT)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "host result 1 of 1 missing (host check script missing)" in out,
              "a declared host check without its script fails", out)
        c = Case(tmp, "hostundecl", "# results: 1\n", host_script=True,
                 guest=ONE_RESULT)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "declares no host-check" in out, "an undeclared host script fails", out)

        # Skips: an unlisted reason fails, a listed one skips, a reason the
        # kernel's configuration rules out fails.
        docs = os.path.join(tmp, "tree")
        os.makedirs(os.path.join(docs, "Documentation"))
        os.makedirs(os.path.join(docs, "tests"))
        Case.write(os.path.join(docs, "Documentation", "testing.md"),
                   "| `no-cpu-feature` | - | the CPU lacks it |\n"
                   "| `no-zram` | `CONFIG_ZRAM` | zram missing |\n")
        tdir = os.path.join(docs, "tests")
        guest = ("ok 1 - a # SKIP bogus: no reason\nok 2 - b # SKIP no-cpu-feature: CLWB\n"
                 "ok 3 - c # SKIP no-zram: modprobe failed\n1..3\n# scenario exit status 0\n")
        c = Case(tmp, "skips", "# results: 3\n", guest=guest, config="CONFIG_ZRAM=m\n")
        rc, out = c.run(a.kernel, tests_dir=tdir)
        check(rc == 1 and "reason not listed in Documentation/testing.md" in out
              and "ok - skips: b # SKIP no-cpu-feature: CLWB" in out
              and "skipped as no-zram, but the kernel has CONFIG_ZRAM" in out,
              "skips need a listed platform reason the kernel does not rule out", out)

        # kmemleak: a leak through an unloaded module of ours, attributed
        # through its recorded load address; a kernel-internal leak is not.
        leak = ("# modules-begin\npseudoscopic 4096 0 - Live 0xffffffffc0200000 (O)\n# modules-end\n"
                "# kmemleak-begin\nunreferenced object 0xffff888003d0 (size 64):\n"
                "  backtrace (crc 0):\n    [<ffffffff81234567>] kmalloc_trace+0x1/0x2\n"
                "    [<ffffffffc0200123>] 0xffffffffc0200123\n"
                "unreferenced object 0xff110000085c0000 (size 4096):\n  backtrace (crc 1):\n"
                "    __kmalloc_cache_noprof+0x223/0x2a5\n    0xffffffffc0200fff\n"
                "unreferenced object 0xffff888004d0 (size 32):\n"
                "    [<ffffffff81234567>] kmalloc_trace+0x1/0x2\n"
                "    [<ffffffff81999999>] acpi_thing+0x1/0x2\n# kmemleak-end\n")
        c = Case(tmp, "leak", "# results: 1\n", config="CONFIG_DEBUG_KMEMLEAK=y\n",
                 guest=ONE_RESULT + leak)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "no kmemleak report naming a module of this tree (2 found)" in out,
              "kmemleak reports through an unloaded module count (6.12 and 7.x formats)", out)
        c = Case(tmp, "noscan", "# results: 1\n", config="CONFIG_DEBUG_KMEMLEAK=y\n",
                 guest=ONE_RESULT)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "not ok - noscan: kmemleak scanned at the end" in out,
              "a debug kernel without a kmemleak scan fails", out)

        # A warning anywhere in the console.
        c = Case(tmp, "warn", "# results: 1\n", guest=ONE_RESULT,
                 console=BOOT_2CPU + "[ 2.0] BUG: KASAN: slab-out-of-bounds in f+0x1/0x2\n")
        rc, out = c.run(a.kernel)
        check(rc == 1 and "not ok - warn: kernel log free of warnings" in out
              and "# [ 2.0] BUG: KASAN" in out, "a KASAN report fails the log check", out)

        # A report before /init fails like any other: the boot is not
        # retried, whoever the report is from.
        c = Case(tmp, "early", "# results: 1\n", guest=ONE_RESULT,
                 console="[ 0.9] BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x1/0x2\n"
                 + BOOT_2CPU)
        rc, out = c.run(a.kernel)
        check(rc == 1 and "not ok - early: kernel log free of warnings" in out
              and "wild-memory-access" in out, "a report before /init fails the log check", out)

        # tapsum: a result line that is not flat TAP is a failure, not lost.
        f = Case.write(os.path.join(tmp, "r.tap"), "ok - a\n    not ok 2 - nested\nok - b # SKIP x\n")
        p = subprocess.run([sys.executable, TAPSUM, f], capture_output=True, text=True, check=False)
        check(p.returncode == 1 and p.stdout.splitlines()[-1] == "1 passed, 1 failed, 1 skipped"
              and "#   b # SKIP x" in p.stdout,
              "tapsum counts an indented result line as a failure and lists skips",
              p.stdout)

    for i, (ok, text, out) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - harness: verdict logic: {text}")
        if not ok:
            print("\n".join("# " + x for x in out.splitlines()))
    print(f"1..{len(results)}")
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
