"""A learned re-ranker stacked on Collab4J's models: see bench/stacking-probe.sh (issue 26, tried, not shipped).

python3 bench/stacking-probe.py INNER_DIR OUT_DIR T
Reads INNER_DIR/{train,valid}.csv, OUT_DIR/{B_train,B_hold}.csv and the score dumps OUT_DIR/{ials,ease,rating}_{A,B}.f32
(bench/ScoreDump.java). NDCG@10 as score-topn computes it: top 10 over the items the user did not rate in the train
file, relevant = held-out rating >= T, the ideal DCG over min(10, relevant held-out rows), mean over the users with
a relevant held-out row.
"""
import sys
import warnings

import numpy as np

warnings.simplefilter('ignore', RuntimeWarning)  # a user who rated every item: nan z-scores, set to 0

MODELS = ('ials', 'ease', 'rating')
CANDIDATES = 100  # each user's top-100 of EASE and of iALS


def read(path):
    a = np.genfromtxt(path, delimiter=',', skip_header=1, usecols=(0, 1, 2), ndmin=2)
    return a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2]


class Level:
    """One training file, its models' scores, and the held-out file it is judged on."""

    def __init__(self, train, held, dumps, t):
        u, i, r = read(train)
        self.users, self.items = np.unique(u), np.unique(i)
        m, n = len(self.users), len(self.items)
        ui, ii = np.searchsorted(self.users, u), np.searchsorted(self.items, i)
        self.rating = np.zeros((m, n))
        self.rating[ui, ii] = r
        self.seen = np.zeros((m, n), bool)
        self.seen[ui, ii] = True
        self.scores = {k: np.fromfile(dumps % k, dtype='<f4').reshape(m, n).astype(np.float64) for k in MODELS}
        hu, hi, hr = read(held)
        keep = (hr >= t) & np.isin(hu, self.users)
        hu, hi = hu[keep], hi[keep]
        self.relevant_count = np.bincount(np.searchsorted(self.users, hu), minlength=m)
        known = np.isin(hi, self.items)
        self.relevant = np.zeros((m, n), bool)
        self.relevant[np.searchsorted(self.users, hu[known]), np.searchsorted(self.items, hi[known])] = True
        self.t = t

    def ndcg(self, scores, k=10):
        s = np.where(self.seen, -np.inf, scores)
        top = np.argsort(-s, axis=1, kind='stable')[:, :k]
        disc = 1 / np.log2(np.arange(2, k + 2))
        dcg = (np.take_along_axis(self.relevant, top, 1) * disc).sum(1)
        ideal = np.array([disc[:min(k, c)].sum() for c in self.relevant_count])
        users = np.flatnonzero(self.relevant_count > 0)
        return dcg[users] / ideal[users]

    def features(self):
        seen, rating, t = self.seen, self.rating, self.t
        count = seen.sum(0)
        liked = ((rating >= t) & seen).sum(0)
        user_count = seen.sum(1)
        user_mean = rating.sum(1) / user_count
        user_liked = ((rating >= t) & seen).sum(1) / user_count
        z, rank = {}, {}
        for k in MODELS:
            unseen = np.where(seen, np.nan, self.scores[k])
            z[k] = np.nan_to_num((self.scores[k] - np.nanmean(unseen, 1, keepdims=True))
                                 / np.nanstd(unseen, 1, keepdims=True))
            order = np.argsort(-np.where(seen, -np.inf, self.scores[k]), 1, kind='stable')
            rank[k] = np.empty_like(order)
            np.put_along_axis(rank[k], order, np.arange(order.shape[1])[None, :], 1)
        pairs = ((rank['ease'] < CANDIDATES) | (rank['ials'] < CANDIDATES)) & ~seen
        u, i = np.nonzero(pairs)
        x = np.column_stack([
            z['ease'][u, i], z['ials'][u, i], z['rating'][u, i], self.scores['rating'][u, i],
            np.log1p(rank['ease'][u, i]), np.log1p(rank['ials'][u, i]),
            np.log1p(count[i]), (liked[i] + 1) / (count[i] + 2),
            np.log1p(user_count[u]), user_mean[u], user_liked[u], self.scores['rating'][u, i] - user_mean[u]])
        return u, i, x

    def ranked(self, u, i, s):
        out = np.full(self.seen.shape, -1e9)
        out[u, i] = s
        return out


def logistic(x, y, l2=1e-3, steps=25):
    xa = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xa.shape[1])
    for _ in range(steps):  # Newton's method
        p = 1 / (1 + np.exp(-xa @ w))
        g = xa.T @ (p - y) / len(y) + l2 * w
        h = (xa.T * (p * (1 - p))) @ xa / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(h, g)
    return lambda z: np.hstack([z, np.ones((len(z), 1))]) @ w


def net(x, y, hidden=32, epochs=30, lr=3e-3, l2=1e-4, seed=0):
    rng = np.random.default_rng(seed)
    f = x.shape[1]
    p = [rng.normal(0, 1 / np.sqrt(f), (f, hidden)), np.zeros(hidden), rng.normal(0, 1 / np.sqrt(hidden), hidden),
         np.zeros(1)]
    m1, m2, step = [np.zeros_like(a) for a in p], [np.zeros_like(a) for a in p], 0
    for _ in range(epochs):  # Adam on the log loss, batches of 1024
        order = rng.permutation(len(x))
        for s in range(0, len(x), 1024):
            b = order[s:s + 1024]
            h = x[b] @ p[0] + p[1]
            a = np.maximum(h, 0)
            g = (1 / (1 + np.exp(-(a @ p[2] + p[3][0]))) - y[b]) / len(b)
            ga = np.outer(g, p[2]) * (h > 0)
            grads = [x[b].T @ ga + l2 * p[0], ga.sum(0), a.T @ g + l2 * p[2], np.array([g.sum()])]
            step += 1
            for j, gr in enumerate(grads):
                m1[j] = 0.9 * m1[j] + 0.1 * gr
                m2[j] = 0.999 * m2[j] + 0.001 * gr * gr
                p[j] -= lr * (m1[j] / (1 - 0.9 ** step)) / (np.sqrt(m2[j] / (1 - 0.999 ** step)) + 1e-8)
    return lambda z: np.maximum(z @ p[0] + p[1], 0) @ p[2] + p[3][0]


def main():
    inner, out, t = sys.argv[1], sys.argv[2], float(sys.argv[3])
    b = Level(out + '/B_train.csv', out + '/B_hold.csv', out + '/%s_B.f32', t)
    a = Level(inner + '/train.csv', inner + '/valid.csv', out + '/%s_A.f32', t)
    ub, ib, xb = b.features()
    yb = b.relevant[ub, ib].astype(float)
    mean, sd = xb.mean(0), xb.std(0) + 1e-9
    ua, ia, xa = a.features()
    alone = {k: a.ndcg(a.scores[k]) for k in MODELS}
    best = max(('ials', 'ease'), key=lambda k: alone[k].mean())
    print('level B: %d candidate pairs, %d relevant; level A: %d pairs, %d users judged'
          % (len(yb), yb.sum(), len(ua), len(alone[best])))
    for k in MODELS:
        print('%-28s NDCG@10 %.4f' % (k + ' alone', alone[k].mean()))
    rerankers = [('logistic regression', logistic((xb - mean) / sd, yb))]
    rerankers += [('net, seed %d' % s, net((xb - mean) / sd, yb, seed=s)) for s in (0, 1)]
    for name, f in rerankers:
        v = a.ndcg(a.ranked(ua, ia, f((xa - mean) / sd)))
        d = v - alone[best]
        print('%-28s NDCG@10 %.4f  (%+.4f ± %.4f against %s alone, %+.1f %%)'
              % ('re-ranker, ' + name, v.mean(), d.mean(), d.std(ddof=1) / np.sqrt(len(d)), best,
                 100 * d.mean() / alone[best].mean()))


if __name__ == '__main__':
    main()
