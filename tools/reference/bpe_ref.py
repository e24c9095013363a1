"""A deliberately naive Python re-implementation of Agora's byte-level BPE (pre-tokenizer "agora-split-v1",
training with ties broken by the lowest pair, rank-ordered encoding), used only to produce an independent test
vector for tests/Agora.Data.Tests:

    /usr/bin/python3 tools/reference/bpe_ref.py > tests/Agora.Data.Tests/Vectors/bpe_small.json

The rules are those documented in src/Agora.Data/Tokenization/*.cs; nothing here is shared with that code.
"""

import json
import sys

MAX_PIECE = 128


def byte_class(b):
    if 97 <= b <= 122 or 65 <= b <= 90 or b >= 0x80:
        return "L"
    if 48 <= b <= 57:
        return "D"
    if b in (32, 9, 10, 11, 12, 13):
        return "S"
    return "O"


def pieces(data):
    out, i, n = [], 0, len(data)
    while i < n:
        c = byte_class(data[i])
        if data[i] == 32 and i + 1 < n and byte_class(data[i + 1]) != "S":
            cls, j = byte_class(data[i + 1]), i + 1
            while j < n and byte_class(data[j]) == cls:
                j += 1
        elif c != "S":
            j = i
            while j < n and byte_class(data[j]) == c:
                j += 1
        else:
            j = i
            while j < n and byte_class(data[j]) == "S":
                j += 1
            if j < n and j - i > 1 and data[j - 1] == 32:
                j -= 1
        j = min(j, i + MAX_PIECE)
        out.append(data[i:j])
        i = j
    return out


def merge_word(word, pair, new_id):
    out, k = [], 0
    while k < len(word):
        if k + 1 < len(word) and (word[k], word[k + 1]) == pair:
            out.append(new_id)
            k += 2
        else:
            out.append(word[k])
            k += 1
    return out


def train(texts, vocab_size):
    counts = {}
    for text in texts:
        for p in pieces(text.encode("utf-8")):
            if len(p) >= 2:
                counts[p] = counts.get(p, 0) + 1
    words = {p: list(p) for p in counts}
    merges = []
    while len(merges) < vocab_size - 257:
        pair_counts = {}
        for p, w in words.items():
            for a, b in zip(w, w[1:]):
                pair_counts[(a, b)] = pair_counts.get((a, b), 0) + counts[p]
        if not pair_counts:
            break
        best = min(pair_counts, key=lambda q: (-pair_counts[q], q))
        new_id = 256 + len(merges)
        merges.append(best)
        words = {p: merge_word(w, best, new_id) for p, w in words.items()}
    return merges


def encode(text, merges):
    rank = {m: r for r, m in enumerate(merges)}
    ids = []
    for p in pieces(text.encode("utf-8")):
        w = list(p)
        while True:
            ranked = [rank[q] for q in zip(w, w[1:]) if q in rank]
            if not ranked:
                break
            r = min(ranked)
            w = merge_word(w, merges[r], 256 + r)
        ids.extend(w)
    return ids


CORPUS = [
    "The miller walked along the river every morning, counting the boats that passed the old stone bridge.",
    "Counting boats was not his job; milling was. Still, he counted 12, then 17, then 23 boats before noon.",
    "His daughter kept the ledger: flour in, flour out, coins in, coins out. The ledger never lied.",
    "When the river froze, the boats stopped, the mill stopped, and the miller counted snowflakes instead.",
    "Naïve visitors asked why; the miller smiled — a mill needs water, and water needs patience.",
    "  Indented lines,\ttabs,\r\nand    runs of spaces   also appear in real text!!! (Sometimes.)",
]

SAMPLE = "The miller counted 1234 boats; the ledger said 12. Naïve?  Patience!\n"


def main():
    vocab = 320
    merges = train(CORPUS, vocab)
    json.dump({
        "description": "Independent BPE vector from tools/reference/bpe_ref.py",
        "vocab_size": vocab,
        "corpus": CORPUS,
        "merges": [list(m) for m in merges],
        "sample": SAMPLE,
        "sample_ids": encode(SAMPLE, merges),
    }, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
