#!/usr/bin/env python3
"""Two seeded synthetic implicit-feedback files for issue 26's defaults (docs/benchmarks.md, "Data-adaptive defaults"):

  pop.csv    popularity-dominated: every user draws items in proportion to a Zipf popularity, no taste; value = a
             play count (1 + geometric).
  taste.csv  taste and popularity: items drawn by popularity x exp(taste), play counts that grow with taste.

Usage: python3 bench/implicit-synthetic.py OUT_DIR   (writes OUT_DIR/pop.csv and OUT_DIR/taste.csv, MovieLens CSV)
"""
import os, random, math, sys
# popularity-dominated: every user draws items in proportion to a Zipf popularity, no personal taste;
# the value is a count (plays), 1 + geometric.
def pop_only(path, users=1000, items=2000, per_user=40, seed=1):
    r = random.Random(seed)
    w = [1.0 / (k + 1) ** 1.0 for k in range(items)]
    tot = sum(w); cum = []; c = 0
    for x in w: c += x / tot; cum.append(c)
    import bisect
    with open(path, 'w') as f:
        f.write('userId,movieId,rating,timestamp\n')
        for u in range(users):
            n = max(5, int(r.expovariate(1 / per_user)))
            seen = set()
            while len(seen) < min(n, items // 2):
                seen.add(bisect.bisect_left(cum, r.random()))
            for i in seen:
                cnt = 1
                while r.random() < 0.5: cnt += 1
                f.write(f'{u},{i},{cnt},0\n')
# taste + counts: items chosen by popularity x taste; count grows with taste (plays of what one likes)
def taste_counts(path, users=1000, items=2000, per_user=40, k=8, seed=2):
    r = random.Random(seed)
    U = [[r.gauss(0, 1) for _ in range(k)] for _ in range(users)]
    V = [[r.gauss(0, 1) for _ in range(k)] for _ in range(items)]
    pop = [1.0 / (j + 1) ** 0.8 for j in range(items)]
    with open(path, 'w') as f:
        f.write('userId,movieId,rating,timestamp\n')
        for u in range(users):
            s = [pop[j] * math.exp(0.8 * sum(a * b for a, b in zip(U[u], V[j])) / math.sqrt(k)) for j in range(items)]
            n = max(5, int(r.expovariate(1 / per_user)))
            chosen = set()
            tot = sum(s)
            while len(chosen) < n:
                x = r.random() * tot; acc = 0
                for j, sj in enumerate(s):
                    acc += sj
                    if acc >= x: chosen.add(j); break
            for j in chosen:
                aff = sum(a * b for a, b in zip(U[u], V[j])) / math.sqrt(k)
                lam = math.exp(1.0 + 1.2 * aff)
                cnt = 1 + min(500, int(r.expovariate(1 / lam)))
                f.write(f'{u},{j},{cnt},0\n')
out = sys.argv[1] if len(sys.argv) > 1 else '.'
os.makedirs(out, exist_ok=True)
pop_only(os.path.join(out, 'pop.csv'))
taste_counts(os.path.join(out, 'taste.csv'))
