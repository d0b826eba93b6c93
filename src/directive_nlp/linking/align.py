"""Alignment of upstream tasks to local tasks: candidate retrieval, pair scoring, decision.

Local plans split, merge and rephrase upstream tasks, so alignment is many-to-many: one
upstream task may be carried out by several local tasks and one local task may carry out
several upstream tasks. There is no one-to-one assignment (no Hungarian matching).

Two stages, measured apart (``scripts/eval_gapcheck.py``):

1. **Retrieval** ranks every local task for each upstream task with BM25 over
   tone-normalised syllable unigrams and bigrams (content words only; unit names, generic
   directive vocabulary and function words removed), plus small bonuses for shared cited
   documents and for section topics (the pooled words of a task's section siblings).
2. **Decision** keeps, among the top candidates, those whose normalised similarity clears an
   absolute threshold and stays within a margin of the best candidate, or that are *mutual*
   matches (the upstream task is also among the local task's best upstream matches).

Everything here is pure and deterministic: ties are broken by task order.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..extraction.deadlines import find_deadlines
from ..normalise.text import fold, syllables
from . import vocab

# ---------------------------------------------------------------------------------------
# Vocabulary (folded syllables: tone mark moved to a digit suffix, see normalise.text.fold)
# ---------------------------------------------------------------------------------------

_FUNCTION_WORDS = (
    "các của và cho với để trong theo được có là những này đã về từ trên tại khi đến một "
    "hoặc như sau đối hay cũng vào ra bị do nhằm việc sự nào đó mọi cả đều chỉ phải cần sẽ "
    "đang rõ thì mà nếu lại vẫn qua bằng giữa gì nhau thêm hơn rất còn vừa"
)
# Boilerplate of directive texts: verbs of doing, intensifiers and unit words that say
# nothing about *what* is to be done.
_GENERIC_WORDS = (
    "thực hiện triển khai tổ chức chủ trì phối hợp chủ động kịp thời khẩn trương tiếp tục "
    "đẩy mạnh tăng cường nâng cao hiệu quả bảo đảm đảm bảo hoàn thành cơ quan đơn vị địa "
    "phương liên quan trách nhiệm nhiệm vụ giao quy định yêu cầu phục vụ cấp phường xã tỉnh "
    "thành phố trung ương bộ ngành ủy ban nhân dân ubnd tiến hành ngay thường xuyên kế hoạch "
    "này số ký hiệu nghiêm túc phụ lục kèm theo"
)
STOPWORDS: frozenset[str] = frozenset(fold(_FUNCTION_WORDS).split())
GENERIC: frozenset[str] = frozenset(fold(_GENERIC_WORDS).split()) - STOPWORDS

# Weights of the parts of a task text: the first sentence states the action; later
# sentences and purpose tails ("để …", "nhằm …") explain it.
LATER_SENTENCE_WEIGHT = 0.6
PURPOSE_WEIGHT = 0.5

# Weight of a counted scope ("25 dịch vụ công", "1.139 thủ tục") relative to a word.
SCOPE_NUMBER_WEIGHT = 2.0

# BM25 parameters.
BM25_K1 = 1.2
BM25_B = 0.75

# Retrieval and decision parameters (tuned on the development pair only; see
# scripts/eval_gapcheck.py for their effect).
TOP_K = 5  # candidates kept per upstream task
RETRIEVE = 15  # tasks retrieved by BM25 from the index, each way, before full scoring
QUERY_TERMS = 40  # the most specific terms of a task that make its retrieval query
MAX_POSTING = 80  # retrieval skips terms found in more tasks than this (common words)
CITE_BONUS = 0.15  # added to the normalised similarity per shared cited document
TOPIC_WEIGHT = 0.3  # weight of the section-topic similarity
CONTEXT_WEIGHT = 0.3  # weight of title (context) terms
ACCEPT_SIM = 0.14  # absolute similarity a candidate needs on its own
MARGIN = 0.75  # ... and at least this fraction of the best candidate's similarity
MUTUAL_SIM = 0.10  # a mutual match needs only this similarity
MUTUAL_RANK = 1  # the upstream task is among the local task's best MUTUAL_RANK matches

_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+")
_PURPOSE = re.compile(r"\b(để|nhằm)\b", re.IGNORECASE)


def without_deadlines(text: str) -> str:
    """The text with its deadline words blanked ("… trước ngày 25/12/2025", "thường xuyên",
    "định kỳ hằng tháng"): the deadline is compared as a slot of its own, not as content.
    Uses the extractor's deadline grammar."""
    hits = sorted(h.span for h in find_deadlines(text))
    if not hits:
        return text
    out, pos = [], 0
    for a, b in hits:
        if a >= pos:
            out.append(text[pos:a])
            out.append(" ")
            pos = b
    out.append(text[pos:])
    return "".join(out)


def _strip_units(tokens: list[str], units: Iterable[str]) -> list[str]:
    """Replace unit names (as folded syllable runs) by a break marker ``|``."""
    names = []
    for u in units:
        for alt in (u or "").split("|"):
            toks = syllables(alt)
            if len(toks) >= 2:
                names.append(toks)
    if not names:
        return tokens
    names.sort(key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in names:
            if tokens[i : i + len(n)] == n:
                out.append("|")
                i += len(n)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _segments(text: str) -> list[tuple[str, float]]:
    """(segment, weight): first sentence 1.0, later sentences less; purpose tails less."""
    out: list[tuple[str, float]] = []
    for i, sent in enumerate(s for s in _SENTENCE_SPLIT.split(text or "") if s.strip()):
        base = 1.0 if i == 0 else LATER_SENTENCE_WEIGHT
        m = _PURPOSE.search(sent)
        if m and m.start() > 0:
            out.append((sent[: m.start()], base))
            out.append((sent[m.start() :], base * PURPOSE_WEIGHT))
        else:
            out.append((sent, base))
    return out


def terms_of_text(text: str, units: Iterable[str] = ()) -> dict[str, float]:
    """Content terms of a text with their weights (max over occurrences).

    Terms are folded syllables (``"hoa1"``) and syllable bigrams (``"sô1_hoa1"``). Function
    words never count; generic directive words count only inside a bigram with a content word.
    Unit names given in ``units`` are cut out first, so an addressee is not a topic.
    """
    units = list(units)
    words = vocab.load()
    weights: dict[str, float] = {}
    for seg, w in _segments(without_deadlines(text or "")):
        seg = words.expand(seg)
        for n in vocab.scope_numbers(seg):
            k = f"#{n}"
            if w * SCOPE_NUMBER_WEIGHT > weights.get(k, 0.0):
                weights[k] = w * SCOPE_NUMBER_WEIGHT
        toks = words.canonical(_strip_units(syllables(seg), units))
        for t in toks:
            if t == "|" or t in STOPWORDS or t in GENERIC or t.isdigit():
                continue
            if w > weights.get(t, 0.0):
                weights[t] = w
        for a, b in zip(toks, toks[1:], strict=False):
            if "|" in (a, b) or a in STOPWORDS or b in STOPWORDS or a.isdigit() or b.isdigit():
                continue
            if a in GENERIC and b in GENERIC:
                continue
            k = f"{a}_{b}"
            if w > weights.get(k, 0.0):
                weights[k] = w
    return weights


def task_units(task: Mapping) -> list[str]:
    return [*(task.get("lead") or []), *(task.get("support") or [])]


def task_terms(task: Mapping) -> dict[str, float]:
    return terms_of_text(task.get("text") or "", task_units(task))


def _section_group(section: str | None) -> str:
    """The parent of a section code: "IV.2.3.b" -> "IV.2.3"; "IV.2.4.k-1(1)" -> "IV.2.4"."""
    if not section:
        return ""
    parts = re.split(r"[.\-]", section)
    return ".".join(parts[:-1]) if len(parts) > 1 else parts[0]


# ---------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------


@dataclass
class TermStats:
    """Document frequencies of the two collections; IDF averages the two, so that a term
    frequent in *either* document (its context vocabulary) weighs little. The IDF of every
    term of the two collections is computed once, at construction."""

    df_up: Counter
    df_loc: Counter
    n_up: int
    n_loc: int
    _cache: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for t in self.df_up.keys() | self.df_loc.keys():
            self._cache[t] = self._compute(t)

    def _compute(self, term: str) -> float:
        a = math.log((self.n_up + 1) / (self.df_up.get(term, 0) + 0.5))
        b = math.log((self.n_loc + 1) / (self.df_loc.get(term, 0) + 0.5))
        return max(0.0, 0.5 * (a + b))

    def idf(self, term: str) -> float:
        v = self._cache.get(term)
        if v is None:
            v = self._cache[term] = self._compute(term)
        return v

    def mass(self, terms: Mapping[str, float]) -> float:
        idf = self._cache
        return sum((idf[t] if t in idf else self.idf(t)) * w for t, w in terms.items())


def term_stats(
    up_terms: Sequence[Mapping[str, float]], loc_terms: Sequence[Mapping[str, float]]
) -> TermStats:
    df_up: Counter = Counter()
    df_loc: Counter = Counter()
    for t in up_terms:
        df_up.update(t.keys())
    for t in loc_terms:
        df_loc.update(t.keys())
    return TermStats(df_up, df_loc, len(up_terms), len(loc_terms))


def bm25_scores(
    query: Mapping[str, float], docs: Sequence[Mapping[str, float]], stats: TermStats
) -> list[float]:
    """BM25 of a weighted query against documents given as term->weight maps (the weight
    plays the part of term frequency)."""
    lengths = [sum(d.values()) for d in docs]
    avg = (sum(lengths) / len(lengths)) if lengths else 1.0
    out = []
    for d, dl in zip(docs, lengths, strict=False):
        s = 0.0
        for t, qw in query.items():
            tf = d.get(t)
            if not tf:
                continue
            norm = tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * dl / (avg or 1.0)))
            s += stats.idf(t) * qw * norm
        out.append(s)
    return out


def weighted_overlap(
    a: Mapping[str, float],
    b: Mapping[str, float],
    stats: TermStats,
    ma: float | None = None,
    mb: float | None = None,
) -> tuple[float, float, float]:
    """(shared mass, share of ``a`` covered, share of ``b`` covered) with IDF weights.
    ``ma``/``mb``: the masses of ``a``/``b`` when already known."""
    shared = sum(stats.idf(t) * min(a[t], b[t]) for t in a.keys() & b.keys())
    ma = stats.mass(a) if ma is None else ma
    mb = stats.mass(b) if mb is None else mb
    return shared, (shared / ma if ma else 0.0), (shared / mb if mb else 0.0)


def cosine(a: Mapping[str, float], b: Mapping[str, float], stats: TermStats) -> float:
    na, nb = vector_norm(a, stats), vector_norm(b, stats)
    return dot(a, b, stats) / (na * nb) if na and nb else 0.0


def vector_norm(a: Mapping[str, float], stats: TermStats) -> float:
    return math.sqrt(sum((stats.idf(t) * w) ** 2 for t, w in a.items()))


def dot(a: Mapping[str, float], b: Mapping[str, float], stats: TermStats) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum((stats.idf(t) ** 2) * w * b[t] for t, w in a.items() if t in b)


# ---------------------------------------------------------------------------------------
# Candidates and decision
# ---------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """One (upstream task, local task) pair with the evidence for it."""

    upstream: str
    local: str
    bm25: float
    sim: float  # normalised similarity used by the decision
    cover_up: float  # share of the upstream task's content found in the local task
    cover_loc: float  # share of the local task's content found in the upstream task
    topic: float
    cites: list[str]
    rank: int  # 1-based rank among the local tasks for this upstream task
    reverse_rank: int  # 1-based rank of the upstream task among upstream tasks for this local task
    shared: list[str] = field(default_factory=list)  # the heaviest shared terms, readable
    accepted: bool = False
    reason: str = ""


@dataclass
class Alignment:
    candidates: dict[str, list[Candidate]]  # upstream id -> ranked candidates (top TOP_K)
    stats: TermStats
    up_terms: dict[str, dict[str, float]]
    loc_terms: dict[str, dict[str, float]]
    best_upstream: dict[str, Candidate]  # local id -> its most similar upstream pair
    ranking: dict[str, list[Candidate]] = field(default_factory=dict)  # upstream id -> all retrieved

    def accepted(self, upstream_id: str) -> list[Candidate]:
        return [c for c in self.candidates.get(upstream_id, []) if c.accepted]

    def local_ids_used(self) -> set[str]:
        return {c.local for cs in self.candidates.values() for c in cs if c.accepted}


def _readable(term: str) -> str:
    return term.replace("_", " ")


def _topic_vectors(
    tasks: Sequence[Mapping], terms: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]]:
    groups: dict[str, dict[str, float]] = {}
    for t in tasks:
        g = _section_group(t.get("section"))
        acc = groups.setdefault(g, {})
        for k, w in terms[t["id"]].items():
            acc[k] = acc.get(k, 0.0) + w
    return groups


def _external_cites(task: Mapping, skip: set[str]) -> set[str]:
    return {c for c in (task.get("cites") or []) if c and c not in skip}


def clauses_of(text: str) -> list[str]:
    """Sentences and semicolon-separated parts with at least four syllables."""
    parts = [p for p in _SENTENCE_SPLIT.split(text or "") if len(syllables(p)) >= 4]
    return parts if len(parts) > 1 else []


def pair_similarity(
    up_terms: Mapping[str, float],
    up_clauses: Sequence[Mapping[str, float]],
    loc_terms: Mapping[str, float],
    stats: TermStats,
) -> tuple[float, float, float]:
    """(similarity, share of the upstream task covered, share of the local task covered).

    Similarity is the geometric mean of the two shares, taken for the whole upstream task
    and for each of its clauses, whichever is highest: a local task that carries one clause
    of a long multi-part upstream task matches that clause well.
    """
    ml = stats.mass(loc_terms)
    _, cov_u, cov_l = weighted_overlap(up_terms, loc_terms, stats, mb=ml)
    best = math.sqrt(cov_u * cov_l)
    for c in up_clauses:
        _, cu, cl = weighted_overlap(c, loc_terms, stats, mb=ml)
        best = max(best, math.sqrt(cu * cl))
    return best, cov_u, cov_l


@dataclass(frozen=True)
class TaskFeatures:
    """What the alignment needs of one task, computed once per task."""

    id: str
    order: int
    terms: dict[str, float]
    clauses: tuple[dict[str, float], ...]
    cites: frozenset[str]
    group: str
    length: float


def task_features(
    tasks: Sequence[Mapping], *, context: set[str], skip: set[str], clauses: bool
) -> list[TaskFeatures]:
    out = []
    for i, t in enumerate(tasks):
        terms = _damp(task_terms(t), context)
        cl = (
            tuple(_damp(terms_of_text(c, task_units(t)), context) for c in clauses_of(t.get("text") or ""))
            if clauses
            else ()
        )
        out.append(
            TaskFeatures(
                t["id"],
                i,
                terms,
                cl,
                frozenset(_external_cites(t, skip)),
                _section_group(t.get("section")),
                sum(terms.values()),
            )
        )
    return out


class TermIndex:
    """Inverted index of one collection's task terms, for BM25 retrieval without scoring
    every pair: only tasks that share a term with the query are touched."""

    def __init__(self, feats: Sequence[TaskFeatures]):
        self.feats = list(feats)
        n = len(self.feats)
        self.avg = (sum(f.length for f in self.feats) / n) if n else 1.0
        avg = self.avg or 1.0
        # postings hold the BM25-normalised term frequency, computed once per (term, task)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, f in enumerate(self.feats):
            k = BM25_K1 * (1 - BM25_B + BM25_B * f.length / avg)
            for t, tf in f.terms.items():
                self.postings.setdefault(t, []).append((i, tf * (BM25_K1 + 1) / (tf + k)))

    def bm25(self, query: Mapping[str, float], stats: TermStats) -> dict[int, float]:
        """BM25 of the query against the indexed tasks that share a term with it. Terms in
        more than ``MAX_POSTING`` tasks are not walked: they are the collection's common
        words (low IDF), and walking them would make retrieval quadratic."""
        scores: dict[int, float] = {}
        for t, qw in query.items():
            post = self.postings.get(t)
            if not post or len(post) > MAX_POSTING:
                continue
            q = stats.idf(t) * qw
            if q <= 0:
                continue
            for i, norm in post:
                scores[i] = scores.get(i, 0.0) + q * norm
        return scores

    def top(self, query: Mapping[str, float], stats: TermStats, n: int) -> list[tuple[int, float]]:
        """The ``n`` best tasks for a query made of its ``QUERY_TERMS`` most specific terms
        (IDF × weight): the long postings of common words are never walked."""
        if len(query) > QUERY_TERMS:
            query = dict(
                heapq.nsmallest(QUERY_TERMS, query.items(), key=lambda x: (-stats.idf(x[0]) * x[1], x[0]))
            )
        scores = self.bm25(query, stats)
        return heapq.nsmallest(n, scores.items(), key=lambda x: (-x[1], x[0]))


def align(
    upstream_tasks: Sequence[Mapping],
    local_tasks: Sequence[Mapping],
    *,
    skip_cites: Iterable[str] = (),
    top_k: int = TOP_K,
    context_terms: Iterable[str] = (),
    retrieve: int = RETRIEVE,
) -> Alignment:
    """Rank local candidates for every upstream task and decide which pairs hold.

    One pass: the features of every task are computed once; each upstream task retrieves its
    ``retrieve`` best local tasks by BM25 from an inverted index, and each local task its best
    upstream tasks (for the mutual-match rule and for ``unmatched_local``); only the pairs
    retrieved either way are scored in full. The cost grows with the number of tasks times
    ``retrieve``, not with the product of the two task counts.

    ``skip_cites``: symbols whose citation says nothing about a pair (the upstream document
    itself, which every implementing task may cite). ``context_terms``: terms of the two
    documents' titles, the topic every task shares; they weigh ``CONTEXT_WEIGHT``.
    """
    skip = set(skip_cites)
    context = set(context_terms)
    up_f = task_features(upstream_tasks, context=context, skip=skip, clauses=True)
    loc_f = task_features(local_tasks, context=context, skip=skip, clauses=False)
    stats = term_stats([f.terms for f in up_f], [f.terms for f in loc_f])
    up_topic = _topic_vectors(upstream_tasks, {f.id: f.terms for f in up_f})
    loc_topic = _topic_vectors(local_tasks, {f.id: f.terms for f in loc_f})
    loc_index, up_index = TermIndex(loc_f), TermIndex(up_f)
    up_norm = {g: vector_norm(v, stats) for g, v in up_topic.items()}
    loc_norm = {g: vector_norm(v, stats) for g, v in loc_topic.items()}
    up_pos = {f.id: i for i, f in enumerate(up_f)}
    loc_mass = {f.id: stats.mass(f.terms) for f in loc_f}
    up_mass = [stats.mass(f.terms) for f in up_f]
    clause_mass = [[stats.mass(c) for c in f.clauses] for f in up_f]
    topics: dict[tuple[str, str], float] = {}
    pairs: dict[tuple[int, int], Candidate] = {}

    def pair(ui: int, li: int, bm: float) -> Candidate:
        c = pairs.get((ui, li))
        if c is not None:
            c.bm25 = max(c.bm25, bm)
            return c
        u, lt = up_f[ui], loc_f[li]
        ml = loc_mass[lt.id]
        _, cov_u, cov_l = weighted_overlap(u.terms, lt.terms, stats, ma=up_mass[ui], mb=ml)
        sim = math.sqrt(cov_u * cov_l)
        for cl, mc in zip(u.clauses, clause_mass[ui], strict=True):
            _, cu, cll = weighted_overlap(cl, lt.terms, stats, ma=mc, mb=ml)
            sim = max(sim, math.sqrt(cu * cll))
        key = (u.group, lt.group)
        if key not in topics:
            nu, nl = up_norm.get(u.group, 0.0), loc_norm.get(lt.group, 0.0)
            topics[key] = (
                dot(up_topic.get(u.group, {}), loc_topic.get(lt.group, {}), stats) / (nu * nl)
                if nu and nl
                else 0.0
            )
        topic = topics[key]
        cites = sorted(u.cites & lt.cites)
        counts = [t for t in u.terms.keys() & lt.terms.keys() if t.startswith("#")]
        score = sim + CITE_BONUS * (len(cites) + len(counts)) + (TOPIC_WEIGHT * topic if sim > 0 else 0.0)
        top = sorted(u.terms.keys() & lt.terms.keys(), key=lambda t: (-stats.idf(t) * u.terms[t], t))
        c = Candidate(
            u.id,
            lt.id,
            bm,
            score,
            cov_u,
            cov_l,
            topic,
            cites,
            0,
            retrieve + 1,
            [_readable(t) for t in top[:6]],
        )
        pairs[(ui, li)] = c
        return c

    pool: dict[int, dict[int, Candidate]] = {i: {} for i in range(len(up_f))}
    for ui, u in enumerate(up_f):
        for li, bm in loc_index.top(u.terms, stats, retrieve):
            pool[ui][li] = pair(ui, li, bm)
    best_upstream: dict[str, Candidate] = {}
    for li, lt in enumerate(loc_f):
        got = [pair(ui, li, bm) for ui, bm in up_index.top(lt.terms, stats, retrieve)]
        got.sort(key=lambda c: (-c.sim, up_pos[c.upstream]))
        for r, c in enumerate(got, 1):
            c.reverse_rank = r
        if got:
            best_upstream[lt.id] = got[0]
        for c in got:
            ui = up_pos[c.upstream]
            pool[ui].setdefault(li, c)
    candidates: dict[str, list[Candidate]] = {}
    ranking: dict[str, list[Candidate]] = {}
    for ui, u in enumerate(up_f):
        ranked = sorted(pool[ui].items(), key=lambda x: (-x[1].sim, -x[1].bm25, x[0]))
        cands = [c for _, c in ranked]
        for r, c in enumerate(cands, 1):
            c.rank = r
        candidates[u.id] = cands[:top_k]
        ranking[u.id] = cands
        decide(candidates[u.id])
    return Alignment(
        candidates,
        stats,
        {f.id: f.terms for f in up_f},
        {f.id: f.terms for f in loc_f},
        best_upstream,
        ranking,
    )


def _damp(terms: dict[str, float], context: set[str]) -> dict[str, float]:
    if not context:
        return terms
    return {t: (w * CONTEXT_WEIGHT if t in context else w) for t, w in terms.items()}


def title_terms(*titles: str | None) -> set[str]:
    """Terms of document titles: the shared topic, which says little about a single task."""
    out: set[str] = set()
    for t in titles:
        out |= set(terms_of_text(t or ""))
    return out


def decide(cands: list[Candidate]) -> list[Candidate]:
    """Mark the candidates that hold (in place) and return them.

    The best candidate holds when its similarity reaches ``ACCEPT_SIM``; others hold when
    they reach ``ACCEPT_SIM`` and ``MARGIN`` of the best, or, once the upstream task is
    matched at all, when they are mutual matches reaching ``MUTUAL_SIM``.
    """
    if not cands:
        return []
    best = max(c.sim for c in cands)
    if best < ACCEPT_SIM:
        return []
    for c in cands:
        if c.sim >= ACCEPT_SIM and c.sim >= MARGIN * best:
            c.accepted, c.reason = True, f"similarity {c.sim:.2f}"
        elif c.sim >= MUTUAL_SIM and c.reverse_rank <= MUTUAL_RANK:
            c.accepted, c.reason = True, f"mutual match (similarity {c.sim:.2f})"
    return [c for c in cands if c.accepted]
