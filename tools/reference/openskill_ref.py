"""Independent reference for the two weighted-match rules of openskill.py 6.2.0 that its own fixtures do not cover.

Writes tests/Agora.Gauntlet.Tests/OpenSkill/Vectors/openskill_weighted_edges.json, which
tests/Agora.Gauntlet.Tests/OpenSkill/OpenSkillWeightedEdgeVectorTests.cs checks Agora's OpenSkillModel against.
Run from the repository root with any Python 3 (standard library only; CI never needs it, the output is committed):

    python3 tools/reference/openskill_ref.py [--out PATH]

This is a re-derivation of the Weng-Lin update (Weng & Lin 2011, JMLR 12, Algorithms 1 and 4) written from the
formulas, in the order of operations openskill.py 6.2.0 uses, so that results agree to the last bits. The two rules
the vectors pin down:

1. Weight normalisation (openskill.py `_normalize(vector, 1, 2)`): a team's weights are mapped linearly onto [1, 2]
   (min -> 1, max -> 2). A team with ONE player gets weight 2 (the target maximum), not 1. A team whose weights are
   all equal gets 1 for everyone (the source range is taken as 1e-4, so every (w - min) / range is 0).
2. The per-player update branches on the sign of the team's omega with `omega >= 0` taking the "multiply by the
   weight" branch: mu += share * omega * w and sigma *= sqrt(max(1 - share * delta * w, kappa)); otherwise omega and
   delta are DIVIDED by w. So a team whose omega is exactly 0 (e.g. every team tied and equally strong) keeps its mu
   but has its sigma shrunk by share * delta * w.

Each case is also computed under the opposite choices (one-player weight 1, strict `omega > 0`) and the script
refuses to write a case whose expected numbers would not tell the two apart, so every vector can fail.
"""

import argparse
import json
import math
import os

BETA = 25.0 / 6.0
KAPPA = 0.0001
TAU = 25.0 / 300.0


def normalise_weights(weights, one_player_weight):
    if len(weights) == 1:
        return [one_player_weight]
    low = min(weights)
    high = max(weights)
    spread = high - low
    if spread == 0:
        spread = 0.0001
    return [((w - low) / spread) * (2.0 - 1.0) + 1.0 for w in weights]


def competition_positions(sorted_ranks):
    """Position of each team in rank order; tied teams share the position of the first of them."""
    positions = []
    current = 0
    for index, value in enumerate(sorted_ranks):
        if index > 0 and sorted_ranks[index - 1] < value:
            current = index
        positions.append(current)
    return positions


def team_sums(team):
    """Team mu and sigma^2, summed over players in descending ordinal (mu - 3 sigma), stable, as openskill.py does."""
    ordered = sorted(team, key=lambda p: p[0] - 3.0 * p[1], reverse=True)
    mu = 0.0
    sigma_squared = 0.0
    for player_mu, player_sigma in ordered:
        mu += player_mu * 1.0
        sigma_squared += (player_sigma * 1.0) ** 2
    return mu, sigma_squared


def update_players(team, team_sigma_squared, omega, delta, weights, strict_sign):
    out = []
    for j, (mu, sigma) in enumerate(team):
        w = 1 if weights is None else weights[j]
        share = sigma ** 2 / team_sigma_squared
        multiply = omega > 0 if strict_sign else omega >= 0
        if multiply:
            mu = mu + share * omega * w
            sigma = sigma * math.sqrt(max(1 - share * delta * w, KAPPA))
        else:
            mu = mu + share * omega / w
            sigma = sigma * math.sqrt(max(1 - share * delta / w, KAPPA))
        out.append((mu, sigma))
    return out


def plackett_luce(teams, positions, weights, strict_sign, omegas):
    sums = [team_sums(t) for t in teams]
    n = len(teams)
    collective = 0.0
    for _, s2 in sums:
        collective += s2 + BETA ** 2
    c = math.sqrt(collective)
    sum_q = {}
    for i in range(n):
        e = math.exp(sums[i][0] / c)
        for q in range(n):
            if positions[i] >= positions[q]:
                sum_q[q] = sum_q[q] + e if q in sum_q else e
    tie_count = [sum(1 for s in range(n) if positions[s] == positions[q]) for q in range(n)]
    result = []
    for i in range(n):
        mu_i, s2_i = sums[i]
        omega = 0.0
        delta = 0.0
        e_i = math.exp(mu_i / c)
        for q in range(n):
            p = e_i / sum_q[q]
            if positions[q] <= positions[i]:
                delta += p * (1 - p) / tie_count[q]
                if q == i:
                    omega += (1 - p) / tie_count[q]
                else:
                    omega -= p / tie_count[q]
        omega *= s2_i / c
        delta *= s2_i / c ** 2
        delta *= math.sqrt(s2_i) / c
        omegas.append(omega)
        result.append(update_players(teams[i], s2_i, omega, delta, None if weights is None else weights[i], strict_sign))
    return result


def bradley_terry_full(teams, positions, weights, strict_sign, omegas):
    sums = [team_sums(t) for t in teams]
    n = len(teams)
    result = []
    for i in range(n):
        mu_i, s2_i = sums[i]
        omega = 0.0
        delta = 0.0
        for q in range(n):
            if q == i:
                continue
            mu_q, s2_q = sums[q]
            ciq = math.sqrt(s2_i + s2_q + 2 * BETA ** 2)
            p = 1 / (1 + math.exp((mu_q - mu_i) / ciq))
            s2_to_ciq = s2_i / ciq
            if positions[q] > positions[i]:
                score = 1.0
            elif positions[q] < positions[i]:
                score = 0.0
            else:
                score = 0.5
            omega += s2_to_ciq * (score - p)
            gamma = math.sqrt(s2_i) / ciq
            delta += ((gamma * s2_to_ciq) / ciq) * p * (1 - p)
        omegas.append(omega)
        result.append(update_players(teams[i], s2_i, omega, delta, None if weights is None else weights[i], strict_sign))
    return result


MODELS = {"PlackettLuce": plackett_luce, "BradleyTerryFull": bradley_terry_full}


def rate(case, one_player_weight=2.0, strict_sign=False):
    """One match under openskill.py 6.2.0's rules (or, with the keyword arguments, the opposite choices)."""
    teams = [[(p["mu"], math.sqrt(p["sigma"] * p["sigma"] + TAU * TAU)) for p in team] for team in case["teams"]]
    ranks = case.get("ranks")
    if ranks is None and case.get("scores") is not None:
        ranks = [-s for s in case["scores"]]
    weights = case.get("weights")
    if weights is not None:
        weights = [normalise_weights(w, one_player_weight) for w in weights]
    n = len(teams)
    order = sorted(range(n), key=lambda t: ranks[t]) if ranks is not None else list(range(n))
    sorted_teams = [teams[t] for t in order]
    sorted_weights = None if weights is None else [weights[t] for t in order]
    positions = competition_positions(sorted(ranks)) if ranks is not None else list(range(n))
    omegas = []
    computed = MODELS[case["model"]](sorted_teams, positions, sorted_weights, strict_sign, omegas)
    result = [None] * n
    team_omegas = [None] * n
    for k, t in enumerate(order):
        result[t] = computed[k]
        team_omegas[t] = omegas[k]
    return result, team_omegas


def player(mu, sigma):
    return {"mu": mu, "sigma": sigma}


S = 25.0 / 3.0

CASES = [
    {
        "name": "pl_two_equal_teams_tied_weighted",
        "why": "omega is exactly 0 for both teams; sigma shrinks by share*delta*w (w in [1, 2]), not share*delta/w",
        "model": "PlackettLuce",
        "teams": [[player(30.0, 5.0), player(20.0, 7.0)], [player(20.0, 7.0), player(30.0, 5.0)]],
        "ranks": [1, 1],
        "weights": [[1, 3], [2, 1]],
        "omega_zero": [0, 1],
    },
    {
        "name": "pl_four_equal_teams_tied_weighted",
        "why": "four identical teams all tied: omega is exactly 0 for all four",
        "model": "PlackettLuce",
        "teams": [[player(25.0, S), player(27.0, 6.0)] for _ in range(4)],
        "ranks": [2, 2, 2, 2],
        "weights": [[0, 1], [5, 2], [1, 1], [3, 4]],
        "omega_zero": [0, 1, 2, 3],
    },
    {
        "name": "pl_equal_scores_tied_weighted",
        "why": "equal scores make a tie the same way equal ranks do; omega is exactly 0",
        "model": "PlackettLuce",
        "teams": [[player(22.0, 4.0), player(31.0, 3.0), player(26.0, 6.5)], [player(26.0, 6.5), player(22.0, 4.0), player(31.0, 3.0)]],
        "scores": [7, 7],
        "weights": [[4, 1, 2], [0.5, 0.25, 1]],
        "omega_zero": [0, 1],
    },
    {
        "name": "pl_one_player_teams_weighted",
        "why": "a one-player team's weight normalises to 2: the winner moves twice as far, the loser half as far",
        "model": "PlackettLuce",
        "teams": [[player(25.0, S)], [player(28.0, 6.0)], [player(21.0, 7.5)]],
        "ranks": [2, 1, 3],
        "weights": [[0.3], [7], [1]],
    },
    {
        "name": "pl_one_player_team_against_a_pair",
        "why": "one-player team (weight 2) beaten by a weighted pair",
        "model": "PlackettLuce",
        "teams": [[player(24.0, 8.0)], [player(27.0, 5.0), player(23.0, 6.0)]],
        "ranks": [2, 1],
        "weights": [[0.3], [1, 4]],
    },
    {
        "name": "pl_one_player_teams_tied",
        "why": "both rules at once: two equal one-player teams tied (omega 0, weight 2)",
        "model": "PlackettLuce",
        "teams": [[player(26.0, 6.0)], [player(26.0, 6.0)]],
        "ranks": [1, 1],
        "weights": [[3], [9]],
        "omega_zero": [0, 1],
    },
    {
        "name": "btf_two_equal_teams_tied_weighted",
        "why": "Bradley-Terry full: a tie of equal teams scores 0.5 against p = 0.5, so omega is exactly 0",
        "model": "BradleyTerryFull",
        "teams": [[player(30.0, 5.0), player(20.0, 7.0)], [player(20.0, 7.0), player(30.0, 5.0)]],
        "ranks": [1, 1],
        "weights": [[1, 3], [2, 1]],
        "omega_zero": [0, 1],
    },
    {
        "name": "btf_one_player_teams_weighted",
        "why": "Bradley-Terry full: one-player teams' weights normalise to 2",
        "model": "BradleyTerryFull",
        "teams": [[player(25.0, S)], [player(28.0, 6.0)], [player(21.0, 7.5)]],
        "ranks": [2, 1, 3],
        "weights": [[0.3], [7], [1]],
    },
]


def differs(a, b):
    for ta, tb in zip(a, b):
        for (mu_a, s_a), (mu_b, s_b) in zip(ta, tb):
            if abs(mu_a - mu_b) > 1e-9 * abs(mu_a) or abs(s_a - s_b) > 1e-9 * abs(s_a):
                return True
    return False


def check_shared(directory):
    """Reproduces the upstream fixtures' cases that this reference covers (no margin, no balance), as a check of the
    reference itself; returns the worst relative error (0.0 means bit-identical)."""
    worst = 0.0
    for file, model in (("plackettluce.json", "PlackettLuce"), ("bradleyterryfull.json", "BradleyTerryFull")):
        with open(os.path.join(directory, file), encoding="utf-8") as f:
            fixture = json.load(f)
        mu, sigma = fixture["model"]["mu"], fixture["model"]["sigma"]

        def teams(*sizes):
            return [[player(mu, sigma)] * n for n in sizes]

        for section, case, limit in (
            ("normal", {"model": model, "teams": teams(1, 2)}, False),
            ("ranks", {"model": model, "teams": teams(1, 2, 1, 2), "ranks": [2, 1, 4, 3]}, False),
            ("ties", {"model": model, "teams": teams(1, 2, 3), "ranks": [1, 2, 1]}, True),
            ("weights", {"model": model, "teams": teams(3, 2, 3, 2), "ranks": [2, 1, 4, 3],
                         "weights": [[2, 0, 0], [1, 2], [0, 0, 1], [0, 1]]}, True),
        ):
            result, _ = rate(case)
            for t, team in enumerate(result):
                for p, (m, s) in enumerate(team):
                    if limit:
                        s = min(s, sigma)
                    want = fixture[section][f"team_{t + 1}"][p]
                    worst = max(worst, abs(m - want["mu"]) / abs(want["mu"]), abs(s - want["sigma"]) / abs(want["sigma"]))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join("tests", "Agora.Gauntlet.Tests", "OpenSkill", "Vectors", "openskill_weighted_edges.json"))
    parser.add_argument("--shared", default=os.path.join("..", "shared", "vectors", "openskill"),
                        help="upstream fixtures to check this reference against first (skipped if absent)")
    args = parser.parse_args()

    if os.path.isdir(args.shared):
        worst = check_shared(args.shared)
        print(f"upstream fixtures reproduced, worst relative error {worst:.1e}")
        if worst > 1e-12:
            raise SystemExit("this reference no longer reproduces openskill.py's own fixtures; not writing vectors")

    cases = []
    for case in CASES:
        expected, omegas = rate(case)
        for t in case.get("omega_zero", []):
            if omegas[t] != 0.0:
                raise SystemExit(f"{case['name']}: team {t} omega is {omegas[t]!r}, the case needs exactly 0")
        if "omega_zero" in case:
            strict, _ = rate(case, strict_sign=True)
            if not differs(expected, strict):
                raise SystemExit(f"{case['name']}: omega >= 0 and omega > 0 give the same numbers; the case proves nothing")
        else:
            neutral, _ = rate(case, one_player_weight=1.0)
            if not differs(expected, neutral):
                raise SystemExit(f"{case['name']}: one-player weight 2 and 1 give the same numbers; the case proves nothing")
        out = {k: v for k, v in case.items() if k != "omega_zero"}
        out["expected"] = [[{"mu": mu, "sigma": sigma} for mu, sigma in team] for team in expected]
        cases.append(out)

    document = {
        "format": "agora.openskill-vectors",
        "version": 1,
        "generator": "tools/reference/openskill_ref.py",
        "rules": "openskill.py 6.2.0: one-player team weight -> 2; omega >= 0 multiplies by the weight",
        "defaults": {"beta": BETA, "kappa": KAPPA, "tau": TAU},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
