"""Outline stage: blocks -> a tree of enumerated items (I. / 1. / 1.1. / a) / (1) / - / +).

Each block gets its enumerator (label and style) and a parent. Styles are stacked in the
order they first appear below a parent, the way a reader follows a Vietnamese document:
a block whose style is already open closes everything opened after it and becomes its
sibling; a new style opens a child level. Paragraphs without an enumerator attach to the
nearest open heading or lettered/numbered item but never open a level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block
from ..reading.lines import ENUM, is_all_caps, starts_item


@dataclass
class Node:
    block: Block
    style: str  # roman num1 num2 num3 alpha paren dash plus star para table
    label: str | None
    body: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    heading_level: int | None = None

    @property
    def index(self) -> int:
        return self.block.index

    def ancestors(self) -> list[Node]:
        out, n = [], self.parent
        while n is not None:
            out.append(n)
            n = n.parent
        return out


_ALPHA_SEQ = "abcdđefghiklmnopqrstuvxy"


def enumerator(text: str) -> tuple[str, str | None, str]:
    """(style, label, body) of a block's text."""
    t = text.strip()
    m = ENUM.match(t) if starts_item(t) else None
    if not m:
        return "para", None, t
    body = t[m.end() :].strip()
    if m.group("article"):
        return "roman", m.group("article"), body  # "Điều 2." opens a top-level part like "II."
    if m.group("roman"):
        return "roman", m.group("roman"), body
    if m.group("num"):
        num = m.group("num")
        depth = num.count(".") + 1
        return f"num{min(depth, 4)}", num, body
    if m.group("alpha") or m.group("alphadot"):
        return "alpha", (m.group("alpha") or m.group("alphadot")), body
    if m.group("paren"):
        p = m.group("paren")
        return ("paren" if p.isdigit() else "alpha" if len(p) == 1 else "rparen"), p, body
    bullet = m.group("bullet")
    style = {"-": "dash", "–": "dash", "—": "dash", "+": "plus", "*": "star"}.get(bullet, "dash")
    return style, bullet, body


def build_outline(blocks: list[Block]) -> list[Node]:
    """Nodes in document order with parent/children links (table rows excluded)."""
    nodes: list[Node] = []
    stack: list[Node] = []
    prev_alpha: str | None = None
    for b in blocks:
        if b.kind == "table_row":
            continue
        style, label, body = enumerator(b.text)
        # OCR/typing confusion: "1)" right after "k)" is "l)"; "I)" after "h)" is "i)"
        if style == "num1" and label == "1" and prev_alpha == "k" and b.text.lstrip().startswith("1)"):
            style, label = "alpha", "l"
        node = Node(block=b, style=style, label=label, body=body, heading_level=b.level)
        if style == "para":
            # close bullet levels; attach to the nearest numbered/lettered item or heading
            while (
                stack
                and stack[-1].style in ("dash", "plus", "paren", "rparen")
                and not _opens_children(stack[-1])
            ):
                stack.pop()
            node.parent = stack[-1] if stack else None
            if b.level or (is_all_caps(body) and len(body.split()) <= 12):
                # a Markdown or capitalised heading without enumerator starts a new top part
                stack.clear()
                node.parent = None
                node.style = "head"
                stack.append(node)
        else:
            styles = [n.style for n in stack]
            if style in styles:
                del stack[styles.index(style) :]
            elif style == "roman" or (
                style.startswith("num")
                and "roman" not in styles
                and _depth(style) == 1
                and any(s.startswith("num") for s in styles)
            ):
                # a roman heading or an arabic level 1 closes everything up to its own level
                keep = (
                    [n for n in stack if n.style == "head"]
                    if style == "roman"
                    else stack[: _first_num(stack)]
                )
                stack[:] = keep
            node.parent = stack[-1] if stack else None
            stack.append(node)
        if node.parent:
            node.parent.children.append(node)
        if node.style == "alpha":
            prev_alpha = node.label
        nodes.append(node)
    return nodes


def _depth(style: str) -> int:
    return int(style[3:]) if style.startswith("num") else 0


def _first_num(stack: list[Node]) -> int:
    for i, n in enumerate(stack):
        if n.style.startswith("num"):
            return i
    return len(stack)


def _opens_children(n: Node) -> bool:
    return n.body.rstrip().endswith(":")


def section_path(node: Node) -> str | None:
    """'IV.2.1.a(1)'-style path of the enumerators above and at ``node``."""
    labels: list[str] = []
    for n in reversed([node] + node.ancestors()):
        if not n.label or n.style in ("dash", "plus", "star", "para", "head"):
            continue
        lab = n.label.strip("().")
        # "2.2.1" already names its parents "2" and "2.2"
        while labels and n.style.startswith("num") and lab.startswith(labels[-1] + "."):
            labels.pop()
        labels.append(lab)
    return ".".join(labels) or None


__all__ = ["Node", "build_outline", "enumerator", "section_path"]
