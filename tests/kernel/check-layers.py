#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The layering rule of src/ (Documentation/design.md), checked.

Each file of the module lives in one layer: src/LAYER/*.c and
include/pseudoscopic/LAYER/*.h.  A file may include headers of its own
layer and of the layers below, and may use ps_* functions and variables
defined in them; nothing may reach up.  Between files, ps_* references
must form no cycle (a layer's files call each other in one direction).
Calls upward go through ops structs the driver layer registers (such as
struct ps_devmem_ops), which this check cannot see and need not.

The one exception: core/device.h defines struct ps_device, which embeds
each layer's per-device state, so it includes the headers named in
DEVICE_H_EMBEDS for their types (it declares nothing of theirs).

Documentation/design.md opens with the layer picture: every source file
must be named in its layer's rows there, so the picture cannot drift from
the tree.

Usage: check-layers.py [--root DIR] [--self-test]
Prints one line per violation; exit status 1 if there is any.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

# Bottom to top.  Keep in the order of Documentation/design.md.
LAYERS = ["core", "hw", "mem", "copy", "move", "iface", "driver"]
DEVICE_H_EMBEDS = {"hw/bar.h", "hw/layout.h", "hw/nvidia.h", "mem/pool.h",
                   "mem/devmem.h", "move/fault_window.h", "iface/blkdev.h"}
# src/ entries that are the build's, not the module's code.
SRC_NOT_CODE = {"conftest", "conftest.sh", "kconfig-check.sh"}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]pseudoscopic/([a-z_]+)/([a-z_0-9]+\.h)[>"]')
# <pseudoscopic/NAME.h> or "NAME.h": a header named without its layer.
NO_LAYER = re.compile(r'^\s*#\s*include\s*(?:<pseudoscopic/([a-z_0-9]+\.h)>|"([a-z_0-9]+\.h)")')
GENERATED = {"ps_compat_generated.h"}
# Non-static definitions at column 0: functions, then variables.
FUNC_DEF = re.compile(r"^(?!static\b|extern\b|#|\s)[A-Za-z_][\w\s\*]*?\b(ps_\w+)\s*\(")
VAR_DEF = re.compile(r"^(?!static\b|extern\b|#|\s)[A-Za-z_][\w\s\*]*?\b(ps_\w+)\s*(?:\[[^\]]*\]\s*)*(?:=|;)")
MACRO_DEF = re.compile(r"^(?:LIST_HEAD|DEFINE_MUTEX|DEFINE_SPINLOCK|DEFINE_IDA|DEFINE_XARRAY)\((ps_\w+)\)")
INLINE_DEF = re.compile(r"^static\s+(?:__always_)?inline\b[^(]*?\b(ps_\w+)\s*\(")
MACRO_FN = re.compile(r"^#\s*define\s+(ps_\w+)\(")
TOKEN = re.compile(r"\bps_\w+\b")


def strip_c(text):
    """Text without comments and string or character literals."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)


class Tree:
    def __init__(self, root):
        self.root = root
        self.files = {}     # "src/mem/pool.c" -> layer
        self.errors = []
        src = os.path.join(root, "src")
        inc = os.path.join(root, "include", "pseudoscopic")
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if name in SRC_NOT_CODE:
                continue
            if name not in LAYERS:
                self.errors.append(f"src/{name}: not in a layer (src/LAYER/, LAYER one of {', '.join(LAYERS)})")
                continue
            self._add(path, f"src/{name}", name, ".c")
        for name in sorted(os.listdir(inc)):
            path = os.path.join(inc, name)
            if name not in LAYERS:
                self.errors.append(f"include/pseudoscopic/{name}: not in a layer")
                continue
            self._add(path, f"include/pseudoscopic/{name}", name, ".h")

    def _add(self, path, rel, layer, ext):
        for f in sorted(os.listdir(path)):
            if f.endswith(".c") or f.endswith(".h"):
                if not f.endswith(ext):
                    self.errors.append(f"{rel}/{f}: a {f[-1:]} file where {ext} files belong")
                self.files[f"{rel}/{f}"] = layer

    def text(self, rel):
        with open(os.path.join(self.root, rel), errors="replace") as f:
            return f.read()


def header_key(rel):
    """include/pseudoscopic/mem/pool.h -> mem/pool.h"""
    return rel[len("include/pseudoscopic/"):] if rel.startswith("include/") else None


PICTURE_ROW = re.compile(r"^\s*([a-z]+)\s+src/([a-z]+)/\s")


def picture_errors(root, files):
    """Source files that design.md's layer picture does not name in their layer."""
    path = os.path.join(root, "Documentation", "design.md")
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return ["Documentation/design.md: missing (it opens with the layer picture)"]
    m = re.search(r"^## Layers\s*\n+```\n(.*?)\n```", text, flags=re.S | re.M)
    if not m:
        return ["Documentation/design.md: no layer picture (a ``` block right under '## Layers')"]
    words, layer = {}, None
    for line in m.group(1).splitlines():
        row = PICTURE_ROW.match(line)
        if row:
            layer = row.group(2)
        if layer:
            words.setdefault(layer, set()).update(re.findall(r"[a-z_0-9]+", line))
    return [f"{rel}: not named in the {layer} row of Documentation/design.md's layer picture"
            for rel, layer in sorted(files.items())
            if rel.startswith("src/") and rel.endswith(".c")
            and os.path.basename(rel)[:-2] not in words.get(layer, set())]


def check(root):
    t = Tree(root)
    errors = list(t.errors) + picture_errors(root, t.files)
    rank = {l: i for i, l in enumerate(LAYERS)}
    headers = {header_key(f): f for f in t.files if f.endswith(".h")}

    # Includes.
    for rel, layer in t.files.items():
        for n, line in enumerate(t.text(rel).splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                bare = NO_LAYER.match(line)
                if bare and (bare.group(1) or bare.group(2)) not in GENERATED:
                    errors.append(f"{rel}:{n}: includes {bare.group(1) or bare.group(2)} by a name "
                                  "without its layer (write <pseudoscopic/LAYER/NAME.h>)")
                continue
            inc_layer, name = m.group(1), m.group(2)
            key = f"{inc_layer}/{name}"
            if inc_layer not in rank or key not in headers:
                errors.append(f"{rel}:{n}: includes <pseudoscopic/{key}>, which does not exist")
                continue
            if rank[inc_layer] <= rank[layer]:
                continue
            if header_key(rel) == "core/device.h" and key in DEVICE_H_EMBEDS:
                continue
            errors.append(f"{rel}:{n}: {layer} file includes <pseudoscopic/{key}> of the higher layer {inc_layer}")

    # Definitions: non-static ps_* in .c files, inline functions and
    # function-like macros in headers.
    owner = {}
    for rel in t.files:
        code = strip_c(t.text(rel))
        pats = (FUNC_DEF, VAR_DEF, MACRO_DEF) if rel.endswith(".c") else (INLINE_DEF, MACRO_FN)
        for line in code.splitlines():
            for p in pats:
                m = p.match(line)
                if m:
                    owner.setdefault(m.group(1), rel)

    # References, and the graph between files.
    graph = {rel: set() for rel in t.files}
    for rel, layer in t.files.items():
        code = strip_c(t.text(rel))
        seen = set()
        for tok in TOKEN.findall(code):
            o = owner.get(tok)
            if not o or o == rel or (tok, o) in seen:
                continue
            seen.add((tok, o))
            # A header's inline functions and macros are the interface of
            # the .c files of its layer that define what they use: that is
            # one unit, not an edge.
            if rel.endswith(".h") and o.endswith(".c") and t.files[o] == layer:
                continue
            graph[rel].add(o)
            if rank[t.files[o]] > rank[layer]:
                errors.append(f"{rel}: {layer} file uses {tok} of the higher layer {t.files[o]} ({o})")

    # No cycle between files.
    state = {}
    stack = []

    def visit(f):
        state[f] = 1
        stack.append(f)
        for g in sorted(graph[f]):
            if state.get(g) == 1:
                cyc = stack[stack.index(g):] + [g]
                errors.append("cycle: " + " -> ".join(cyc))
            elif g not in state:
                visit(g)
        stack.pop()
        state[f] = 2

    for f in sorted(graph):
        if f not in state:
            visit(f)
    return errors


def self_test():
    """Plant each kind of violation in a small tree; each must be found."""
    def tree(files):
        d = tempfile.mkdtemp(prefix="ps-layers-")
        for rel, text in files.items():
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        return d

    good = {
        "src/core/device.c": "#include <pseudoscopic/core/device.h>\nvoid ps_device_put(void *p)\n{\n}\n",
        "include/pseudoscopic/core/device.h": "#include <pseudoscopic/mem/pool.h>\nvoid ps_device_put(void *p);\n",
        "src/mem/pool.c": "#include <pseudoscopic/mem/pool.h>\n#include <pseudoscopic/core/device.h>\n"
                          "int ps_pool_used;\nint ps_pool_alloc(void)\n{\n\tps_device_put(0);\n\treturn ps_pool_used;\n}\n",
        "include/pseudoscopic/mem/pool.h": "int ps_pool_alloc(void);\n"
                                           "static inline int ps_pool_any(void)\n{\n\treturn ps_pool_alloc();\n}\n",
        "src/mem/devmem.c": "#include <pseudoscopic/mem/pool.h>\nint ps_devmem_get(void)\n{\n\treturn ps_pool_any();\n}\n",
        "Documentation/design.md": "# Design\n\n## Layers\n\n```\n mem   src/mem/   pool  devmem\n"
                                   "   |\n core  src/core/  device\n```\n",
    }
    cases = [
        ("a clean tree", {}, None),
        ("an include of a higher layer",
         {"src/mem/devmem.c": "#include <pseudoscopic/move/fault.h>\n",
          "include/pseudoscopic/move/fault.h": "int ps_fault(void);\n"},
         "includes <pseudoscopic/move/fault.h> of the higher layer move"),
        ("a call into a higher layer",
         {"src/move/fault.c": "int ps_fault(void)\n{\n\treturn 0;\n}\n",
          "src/mem/devmem.c": "int ps_devmem_get(void)\n{\n\treturn ps_fault();\n}\n"},
         "mem file uses ps_fault of the higher layer move"),
        ("a variable of a higher layer",
         {"src/iface/stats.c": "struct list_head ps_devices;\n",
          "src/core/device.c": "void ps_device_put(void *p)\n{\n\t(void)ps_devices;\n}\n"},
         "core file uses ps_devices of the higher layer iface"),
        ("a cycle within a layer",
         {"src/mem/devmem.c": "int ps_devmem_get(void)\n{\n\treturn ps_pool_alloc();\n}\n",
          "src/mem/pool.c": "int ps_pool_alloc(void)\n{\n\treturn ps_devmem_get();\n}\n"},
         ("cycle: ", "src/mem/devmem.c -> src/mem/pool.c", "src/mem/pool.c -> src/mem/devmem.c")),
        ("a file outside the layers", {"src/stray.c": "int ps_stray;\n"}, "src/stray.c: not in a layer"),
        ("an include without a layer", {"src/mem/devmem.c": "#include <pseudoscopic/pool.h>\n"},
         "includes pool.h by a name without its layer"),
        ("device.h including a header it does not embed",
         {"include/pseudoscopic/core/device.h": "#include <pseudoscopic/move/migrate.h>\n",
          "include/pseudoscopic/move/migrate.h": "\n"},
         "includes <pseudoscopic/move/migrate.h> of the higher layer move"),
        ("a file the design's layer picture does not name",
         {"src/mem/pin.c": "int ps_pin(void)\n{\n\treturn 0;\n}\n"},
         "src/mem/pin.c: not named in the mem row of Documentation/design.md's layer picture"),
        ("a file the picture names in another layer",
         {"src/core/pool.c": "int ps_core_pool(void)\n{\n\treturn 0;\n}\n"},
         "src/core/pool.c: not named in the core row"),
    ]
    failed = 0
    for i, (what, change, want) in enumerate(cases, 1):
        files = dict(good)
        files.update(change)
        d = tree(files)
        try:
            errs = check(d)
        finally:
            shutil.rmtree(d)
        parts = (want,) if isinstance(want, str) else want
        ok = (not errs) if want is None else any(all(w in e for w in parts) for e in errs)
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - layer check finds {what}"
              if want else f"{'ok' if ok else 'not ok'} {i} - layer check passes {what}")
        if not ok:
            print("\n".join("# " + e for e in errs) or "# (nothing reported)")
    print(f"1..{len(cases)}")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--self-test", action="store_true",
                    help="plant each kind of violation in a scratch tree and print TAP")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    errors = check(a.root)
    for e in errors:
        print(e)
    if not errors:
        print("layers: every file of src/ and include/pseudoscopic/ is in a layer; "
              "no include or ps_* use reaches up, no cycle; design.md's picture names every file")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
