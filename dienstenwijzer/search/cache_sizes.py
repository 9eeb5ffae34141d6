"""How many entries the word-analysis caches keep: a fixed memory budget, whatever the catalogue.

Analysing a word costs 20-200 µs (stemming, decompounding, lemmas); a cached word 0.6 µs.
Unbounded (or 200 000-entry) caches held about 1.7 kB per distinct word, and distinct words
grow with the catalogue (names, streets, e-mail addresses) and with what residents type, so an
import's index builder and the search server grew with the file and with time (337 MB after
200 000 words). Words follow Zipf's law: the few thousand that make up most text stay cached.
"""

# Whole tokens as the tokenizer gives them, and folded words (index and query side).
WORDS = 40_000
# Stems, lemmas, decompounding: also asked for every substring a compound split tries, which
# would push out the useful entries if they shared the word caches.
PARTS = 20_000
