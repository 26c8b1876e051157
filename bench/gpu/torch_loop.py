#!/usr/bin/env python3
"""Raw-PyTorch twin of Collab4J's device step, for bench/gpu/run.sh: EmbeddingDotBias (trunc-normal 0.01 init,
y-range (0, 5.5)), MSE, torch.optim.AdamW (fused where the PyTorch build has it, else foreach) with weight decay 0.1,
betas (0.9, 0.99), eps 1e-5, constant lr; the ratings on the device, a device randperm per epoch, batches sliced
on the device, drop_last; the loss summed on the device and read ONCE per epoch (no per-step host sync).

Synthetic ratings of the given shape (uniform users and items, ratings 0.5-5); only the shapes matter for speed.
Prints one EPOCH json line per epoch and a RESULT json line (ratings_per_s over the epochs after the first).
"""
import argparse, json, math, time
import torch, torch.nn as nn


class EmbeddingDotBias(nn.Module):
    def __init__(self, n_factors, n_users, n_items, y_range=(0.0, 5.5)):
        super().__init__()
        self.lo, self.hi = y_range
        self.u_weight, self.i_weight = nn.Embedding(n_users, n_factors), nn.Embedding(n_items, n_factors)
        self.u_bias, self.i_bias = nn.Embedding(n_users, 1), nn.Embedding(n_items, 1)
        with torch.no_grad():
            for e in (self.u_weight, self.i_weight, self.u_bias, self.i_bias):
                e.weight.normal_().fmod_(2).mul_(0.01)

    def forward(self, users, items):
        dot = (self.u_weight(users) * self.i_weight(items)).sum(1)
        res = dot + self.u_bias(users).squeeze(1) + self.i_bias(items).squeeze(1)
        return torch.sigmoid(res) * (self.hi - self.lo) + self.lo


def make_optimizer(params, lr, wd):
    for kw in ({"fused": True}, {"foreach": True}, {}):
        try:
            return torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.99), eps=1e-5, weight_decay=wd, **kw), kw
        except (TypeError, RuntimeError):
            continue
    raise RuntimeError("no AdamW")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=200_000)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--ratings", type=int, default=20_000_000)
    p.add_argument("--factors", type=int, default=64)
    p.add_argument("--bs", type=int, default=65_536)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--wd", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    g = torch.Generator(device="cpu").manual_seed(a.seed)
    users = torch.randint(0, a.users, (a.ratings,), generator=g).to(dev)
    items = torch.randint(0, a.items, (a.ratings,), generator=g).to(dev)
    ratings = (torch.randint(1, 11, (a.ratings,), generator=g).float() / 2).to(dev)
    model = EmbeddingDotBias(a.factors, a.users, a.items).to(dev)
    opt, kind = make_optimizer(model.parameters(), a.lr, a.wd)
    n = a.ratings
    batches = n // a.bs if n > a.bs else 1
    used = batches * a.bs if n > a.bs else n
    print("CONFIG " + json.dumps({"peer": "pytorch", "torch": torch.__version__, "device": str(dev),
                                  "optimizer": "AdamW " + (",".join(kind) or "single-tensor"),
                                  "users": a.users, "items": a.items, "ratings": n, "factors": a.factors,
                                  "bs": a.bs, "batches_per_epoch": batches}), flush=True)
    rates = []
    for epoch in range(1, a.epochs + 1):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        perm = torch.randperm(n, device=dev)[:used]
        u_b, i_b, r_b = (x[perm].split(used // batches) for x in (users, items, ratings))
        total = torch.zeros((), device=dev)
        for u, i, r in zip(u_b, i_b, r_b):
            loss = ((model(u, i) - r) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
        mean_loss = total.item() / batches  # the one host read of the epoch
        seconds = time.perf_counter() - t0
        rate = batches * (used // batches) / seconds
        if epoch > 1 or a.epochs == 1:
            rates.append(rate)
        print("EPOCH " + json.dumps({"epoch": epoch, "train_s": round(seconds, 4), "train_loss": mean_loss,
                                     "ratings_per_s": round(rate)}), flush=True)
    print("RESULT " + json.dumps({"ratings_per_s": round(sum(rates) / len(rates))}), flush=True)


if __name__ == "__main__":
    main()
