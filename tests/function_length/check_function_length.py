#!/usr/bin/env python3
"""The `function_length` test: no function under a folder is longer than a limit (80 lines).

A function is a block opened at namespace level (not a namespace, class, struct, enum, union or
an initializer's `= {`), or a member function written inside a class at its first level of
indentation; its length counts its lines from the header's first line to the closing brace.
Comments, strings and character literals are skipped when braces are counted, so a brace in
a string does not end a function. The code is clang-formatted (.clang-format), which is what
lets a function's header be found as the lines above its opening brace.

usage: check_function_length.py [--max N] DIR...   (exit 1 and one line `file:line: NAME is
N lines (at most M)` per function over the limit)
"""
import argparse
import pathlib
import re
import sys

NOT_A_FUNCTION = re.compile(r"^\s*(namespace\b|extern\s+\"C\"|(template\s*<.*>\s*)?(class|struct|union|enum)\b)")
NAME = re.compile(r"([~\w:]+(?:operator\s*\S+)?)\s*\(")


def code_only(text):
    """The text with comments, strings and character literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def header_start(lines, brace_line):
    """The first line of the declaration whose body opens on brace_line."""
    start = brace_line
    while start > 0:
        above = lines[start - 1].strip()
        if above == "" or above.endswith((";", "}", "{")) or above.startswith("#"):
            break
        start -= 1
    return start


def functions(path):
    """(name, first line, length) of every function in the file."""
    text = code_only(path.read_text(encoding="utf-8"))
    lines = text.split("\n")
    # The open blocks: (kind, start line), kind in namespace, type, function, other.
    stack = []
    found = []
    for number, line in enumerate(lines):
        for column, c in enumerate(line):
            if c == "{":
                enclosing = [kind for kind, _ in stack]
                inside_code = "function" in enclosing or "other" in enclosing
                start = header_start(lines, number)
                header = " ".join(lines[start : number + 1])
                header = header[: len(header) - len(line) + column]
                if inside_code:
                    stack.append(("other", number))
                elif NOT_A_FUNCTION.match(header) or "(" not in header or re.search(r"=\s*$", header):
                    stack.append(("type" if not header.lstrip().startswith("namespace") else "namespace", number))
                else:
                    stack.append(("function", start))
            elif c == "}" and stack:
                kind, start = stack.pop()
                if kind == "function":
                    header = " ".join(lines[start : start + 3])
                    match = NAME.search(header)
                    found.append((match.group(1) if match else "?", start + 1, number - start + 1))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=80)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    over = []
    count = 0
    for folder in args.dirs:
        for path in sorted(pathlib.Path(folder).rglob("*")):
            if path.suffix not in (".cpp", ".h"):
                continue
            for name, line, length in functions(path):
                count += 1
                if length > args.max:
                    over.append(f"{path}:{line}: {name} is {length} lines (at most {args.max})")
    for line in over:
        print(line)
    if count == 0:
        print("no function found under " + ", ".join(args.dirs))
        return 1
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
