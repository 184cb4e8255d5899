#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The NASM routines in asm/ as kernel citizens.

usage: check-nasm.py --kdir KDIR --ko MODULE.ko NASM.o...
       check-nasm.py --kdir KDIR --self-test

For every global routine of the NASM objects:
  - ELF function type and a size (objtool and the unwinder need both);
  - 16-byte aligned after 16 bytes of NOP padding, as SYM_FUNC_START lays
    a function out: with call-depth tracking the kernel writes its
    accounting thunk into that padding and refuses padding that is not NOPs
    ("Invalid padding area", arch/x86/kernel/callthunks.c);
  - entered by ENDBR64 (IBT);
  - in the module, referenced only by direct calls and jumps (and the
    export table): the routines carry no kCFI type hash, so an indirect
    call into them would trip CFI on kernels built with it;
  - objtool, run on a copy of each object with the arguments a kernel
    WITHOUT IBT would use (--ibt and --link dropped; IBT kernels run it only
    on the linked module), warns about nothing.
--self-test assembles planted routines that break each rule and checks that
each is caught, and that a correct one passes: TAP on stdout.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

ENDBR64 = bytes.fromhex("f30f1efa")
PADDING = 16
CALL_JMP = (0xE8, 0xE9)
# scripts/Makefile.lib: objtool-args-$(CONFIG_...) in the kernel's order.
OBJTOOL_ARGS = [
    ("CONFIG_HAVE_JUMP_LABEL_HACK", "--hacks=jump_label"),
    ("CONFIG_HAVE_NOINSTR_HACK", "--hacks=noinstr"),
    ("CONFIG_MITIGATION_CALL_DEPTH_TRACKING", "--hacks=skylake"),
    ("CONFIG_UNWINDER_ORC", "--orc"),
    ("CONFIG_MITIGATION_RETPOLINE", "--retpoline"),
    ("CONFIG_RETPOLINE", "--retpoline"),
    ("CONFIG_MITIGATION_RETHUNK", "--rethunk"),
    ("CONFIG_RETHUNK", "--rethunk"),
    ("CONFIG_MITIGATION_SLS", "--sls"),
    ("CONFIG_SLS", "--sls"),
    ("CONFIG_STACK_VALIDATION", "--stackval"),
    ("CONFIG_HAVE_STATIC_CALL_INLINE", "--static-call"),
    ("CONFIG_HAVE_UACCESS_VALIDATION", "--uaccess"),
]


def kconfig(kdir):
    conf = {}
    with open(os.path.join(kdir, ".config"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("CONFIG_") and "=" in line:
                k, v = line.strip().split("=", 1)
                conf[k] = v
    return conf


def objtool_args(conf):
    args = []
    for opt, arg in OBJTOOL_ARGS:
        if conf.get(opt) == "y" and arg not in args:
            args.append(arg)
    if conf.get("CONFIG_PREFIX_SYMBOLS") == "y":
        args.append("--prefix=" + conf["CONFIG_FUNCTION_PADDING_BYTES"])
    return args + ["--module"]


def routines(path):
    """(name, type, size, section index, value) of each global symbol
    defined in the object."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        out = []
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if sym["st_info"]["bind"] != "STB_GLOBAL":
                continue
            if sym["st_shndx"] in ("SHN_UNDEF", "SHN_ABS"):
                continue
            out.append((sym.name, sym["st_info"]["type"], sym["st_size"],
                        sym["st_shndx"], sym["st_value"]))
        return out


def check_object(path):
    """Problems with the routines' layout in one NASM object."""
    problems = []
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for name, typ, size, shndx, value in routines(path):
            where = f"{os.path.basename(path)}: {name}"
            if typ != "STT_FUNC" or size == 0:
                problems.append(f"{where}: type {typ}, size {size} "
                                "(want a function with a size)")
                continue
            data = elf.get_section(shndx).data()
            if value % 16:
                problems.append(f"{where}: at {value:#x}, not 16-byte aligned")
            if value < PADDING or data[value - PADDING:value] != b"\x90" * PADDING:
                problems.append(f"{where}: not preceded by {PADDING} bytes "
                                "of NOP padding")
            if data[value:value + 4] != ENDBR64:
                problems.append(f"{where}: does not start with ENDBR64")
    return problems


def check_references(ko, names):
    """Problems: a NASM routine referenced other than by a direct call or
    jump (or the export table) anywhere in the module."""
    problems = []
    with open(ko, "rb") as f:
        elf = ELFFile(f)
        symtab = elf.get_section_by_name(".symtab")
        for sec in elf.iter_sections():
            if not isinstance(sec, RelocationSection):
                continue
            target = elf.get_section(sec["sh_info"])
            if target.name.startswith("__ksymtab"):
                continue
            code = target.data() if target["sh_type"] != "SHT_NOBITS" else b""
            for rel in sec.iter_relocations():
                name = symtab.get_symbol(rel["r_info_sym"]).name
                if name not in names:
                    continue
                off = rel["r_offset"]
                rtype = rel["r_info_type"]
                # R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4
                if rtype in (2, 4) and off >= 1 and code[off - 1] in CALL_JMP:
                    continue
                problems.append(f"{os.path.basename(ko)}: {target.name}+{off:#x} "
                                f"takes the address of {name} (relocation type "
                                f"{rtype}): an indirect call would need a kCFI hash")
    return problems


def check_objtool(objtool, args, path):
    """objtool's warnings on a copy of the object, as a kernel without IBT
    runs it."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(path))
        shutil.copy(path, copy)
        res = subprocess.run([objtool] + args + [copy], capture_output=True,
                             text=True, check=False)
    lines = [l for l in (res.stdout + res.stderr).splitlines() if l.strip()]
    if res.returncode or any("warning" in l or "error" in l for l in lines):
        return [f"{os.path.basename(path)}: objtool {' '.join(args)}: " +
                ("; ".join(lines) or f"exit status {res.returncode}")]
    return []


def check(kdir, ko, objs):
    objtool = os.path.join(kdir, "tools/objtool/objtool")
    args = objtool_args(kconfig(kdir))
    problems, names = [], set()
    for obj in objs:
        problems += check_object(obj)
        problems += check_objtool(objtool, args, obj)
        names |= {r[0] for r in routines(obj)}
    if ko:
        problems += check_references(ko, names)
    return problems, names


# ------------------------------------------------------------- self-test
ASM_HEAD = """bits 64
default rel
section .text
%include "ps_ret.inc"
"""
GOOD = "PS_FUNC ps_t\n\txor eax, eax\n\tPS_RET\n.end:\n"
PLANTED = {
    "a correct routine passes": (GOOD, None),
    "a bare ret is caught by objtool": (
        "PS_FUNC ps_t\n\txor eax, eax\n\tret\n.end:\n", "objtool"),
    "a routine without padding is caught": (
        "global ps_t:function (ps_t.end - ps_t)\nalign 16\n"
        "ps_t:\n\tendbr64\n\tPS_RET\n.end:\n", "NOP padding"),
    "a routine without ENDBR64 is caught": (
        "global ps_t:function (ps_t.end - ps_t)\nalign 16\n"
        "\ttimes 16 db 0x90\nps_t:\n\tnop\n\tPS_RET\n.end:\n", "ENDBR64"),
    "a routine without type and size is caught": (
        "global ps_t\nalign 16\n\ttimes 16 db 0x90\n"
        "ps_t:\n\tendbr64\n\tPS_RET\n", "want a function"),
    "a routine whose address is taken is caught": (GOOD, "takes the address"),
    "a routine called directly passes": (GOOD, None),
}
# The rest of the "module": code that uses the routine.
USERS = {
    "a routine whose address is taken is caught":
        "extern ps_t\nsection .data\n\tdq ps_t\n",
    "a routine called directly passes":
        "extern ps_t\nsection .text\n\tcall ps_t wrt ..plt\n\tjmp ps_t wrt ..plt\n",
}


def self_test(kdir, asm_dir):
    conf = kconfig(kdir)
    flags = ["-DPS_RETHUNK"] if (conf.get("CONFIG_MITIGATION_RETHUNK") == "y"
                                 or conf.get("CONFIG_RETHUNK") == "y") else []
    print(f"1..{len(PLANTED)}")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (desc, (body, want)) in enumerate(PLANTED.items(), 1):
            src, obj = os.path.join(tmp, f"t{i}.asm"), os.path.join(tmp, f"t{i}.o")
            with open(src, "w", encoding="utf-8") as f:
                f.write(ASM_HEAD + body)
            subprocess.run(["nasm", "-f", "elf64", *flags, "-i", asm_dir + "/",
                            "-o", obj, src], check=True)
            # The module: the routine, and code using it where planted.
            ko = obj
            if desc in USERS:
                usrc, ko = os.path.join(tmp, f"u{i}.asm"), os.path.join(tmp, f"m{i}.o")
                with open(usrc, "w", encoding="utf-8") as f:
                    f.write("bits 64\n" + USERS[desc])
                subprocess.run(["nasm", "-f", "elf64", "-o", usrc + ".o", usrc],
                               check=True)
                subprocess.run(["ld", "-r", "-o", ko, obj, usrc + ".o"], check=True)
            problems, _ = check(kdir, ko, [obj])
            good = (not problems) if want is None else any(want in p for p in problems)
            print(f"{'ok' if good else 'not ok'} {i} - {desc}")
            for p in problems:
                print(f"# {p}")
            failed += not good
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kdir", required=True, help="kernel build directory")
    ap.add_argument("--ko", help="the linked module")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("objs", nargs="*", help="the NASM objects")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    if a.self_test:
        return self_test(a.kdir, os.path.join(here, "../../asm"))
    if not a.objs:
        ap.error("no NASM objects given")
    problems, names = check(a.kdir, a.ko, a.objs)
    for p in problems:
        print(p)
    if not problems:
        print(f"{len(names)} NASM routines: typed and sized, padded, ENDBR64, "
              "called directly only, objtool-clean without IBT")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
