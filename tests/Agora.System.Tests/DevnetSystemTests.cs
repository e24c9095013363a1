using Agora.Gauntlet;
using Agora.Gauntlet.OpenSkill;
using Agora.Gauntlet.State;
using Agora.Model;
using Agora.Ledger.State;
using Agora.Node.Devnet;
using Agora.Node.Ledger;
using Agora.Node.Roles;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Wire;

namespace Agora.System.Tests;

/// <summary>The real thing on loopback: `agora node`, `agora validator` and `agora miner` as separate processes started by the devnet supervisor.</summary>
public sealed class DevnetSystemTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-devnet-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Honest_miners_lower_the_held_out_loss_and_get_paid_while_a_copycat_gets_nothing_and_killed_nodes_come_back()
    {
        var options = new DevnetOptions
        {
            DataDirectory = _dir,
            AgoraAssembly = Path.Combine(AppContext.BaseDirectory, "agora.dll"),
            Miners = 3,
            Validators = 2,
            // A copycat and a hostile-uri miner, and a flash-locking governance attacker (no miner: see GovernanceAttacker).
            Adversaries = ["copycat", "hostile-uri", "flash-gov"],
            InnerSteps = 6,
            Clock = new WindowClock(10, 7),
            BlockTime = "500ms",
            Windows = 13,
            Duration = TimeSpan.FromMinutes(6),
        };
        DevnetSnapshot? last = null;
        string? page = null;
        string? state = null;
        using var log = new StringWriter();
        using var http = new HttpClient();
        DevnetSupervisor? supervisor = null;
        supervisor = new DevnetSupervisor(options, log);
        ulong? stakeAtKill = null;
        var statePath = Path.Combine(supervisor.StateDirectory("validator"), ValidatorStateFile.FileName);
        var validatorStatusPath = Path.Combine(supervisor.StateDirectory("validator"), RoleStatusFile.ValidatorFileName);
        ValidatorState? savedAtKill = null;
        ulong steppedAtKill = 0;
        ValidatorState? afterRestart = null;
        string? reportedAtKill = null;
        IReadOnlyList<(ulong Window, double Loss)>? historyAtKill = null;
        (ulong Height, Dictionary<string, ulong> Stakes)? ledgerAtKill = null;
        var nodeBack = false;
        var attackerStatus = Path.Combine(supervisor.StateDirectory("flashgov0"), GovernanceAttacker.StatusFileName);
        var attackerWallets = supervisor.GovernanceAttackerWallets.Single();
        (IReadOnlyList<ProposalView> Proposals, ulong MinTxFee, Dictionary<string, global::System.Text.Json.JsonElement> Accounts)? governance = null;
        var minerCount = supervisor.MinerNames.Count;
        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        Task<IReadOnlyList<IReadOnlyList<string>>>? browser = null;
        DashboardBrowserCheck.RequireBrowser();
        var code = await supervisor.RunAsync(s =>
        {
            last = s;
            if (browser is null && supervisor.DashboardEndpoint is { } page0)
            {
                // In Chromium concurrently with the run, so the one devnet serves both the HTTP and the browser checks.
                browser = Task.Run(() => DashboardBrowserCheck.VerifyAsync(page0, minerCount, options.Validators, screenshot));
            }

            if (s.LossHistory.Count >= 3 && stakeAtKill is null)
            {
                // SIGKILL miner1 mid-window, as a crash would; the supervisor starts it again from its state directory.
                stakeAtKill = s.Miners.Single(m => m.Name == "miner1").Stake;
                supervisor.KillChildAsync("miner1").GetAwaiter().GetResult();
            }

            if (s.LossHistory.Count >= 5 && savedAtKill is null)
            {
                // SIGKILL the lead validator at whatever point it has reached: what it persisted is what its restart loads.
                supervisor.KillChildAsync("validator").GetAwaiter().GetResult();
                reportedAtKill = File.ReadAllText(validatorStatusPath);
                var saved = ValidatorStateFile.TryLoad(statePath, null) ?? throw new FileNotFoundException(statePath);
                (savedAtKill, steppedAtKill) = (saved.Gauntlet, saved.NextScore - 1);
                historyAtKill = s.LossHistory;
            }
            else if (savedAtKill is not null && afterRestart is null && s.ScoredWindow > savedAtKill.LastWindow
                && ValidatorStateFile.LoadGauntlet(statePath) is { } reloaded && reloaded.LastWindow > savedAtKill.LastWindow)
            {
                // The restarted validator has judged a window since. (The first windows it steps can be ones the miners
                // have committed past while it was down, which it applies without judging: see ValidatorRole.)
                afterRestart = reloaded;
            }

            if (afterRestart is not null && ledgerAtKill is null && s.Height > 0)
            {
                // SIGKILL the ledger node: every block it acknowledged must survive, and the network must carry on.
                ledgerAtKill = (s.Height, s.Miners.ToDictionary(m => m.Name, m => m.Stake));
                supervisor.KillChildAsync("node").GetAwaiter().GetResult();
            }
            else if (ledgerAtKill is { } k && supervisor.Restarts("node") > 0 && s.Height > 0)
            {
                Assert.True(s.Height >= k.Height, $"the node came back at height {s.Height}, below the {k.Height} it had reported");
                nodeBack = true;
            }

            if (File.Exists(attackerStatus) && GovernanceAttacker.ReadStatus(attackerStatus).State != "waiting" && supervisor.NodeEndpoint is { } rpc)
            {
                // What the ledger says about the attacker's proposal, its coldkeys and the fee, as late in the run as it answers.
                try
                {
                    using var client = new LedgerClient(rpc, TimeSpan.FromSeconds(5));
                    var proposals = client.GetProposalsAsync().GetAwaiter().GetResult();
                    var fee = client.GetStatusAsync().GetAwaiter().GetResult().MinTxFee;
                    var accounts = attackerWallets.ToDictionary(w => w, w => client.CallAsync("get_account", j => j.WriteString("address",
                        GovernanceAttacker.ReadStatus(attackerStatus).Coldkeys.Single(c => c.Name == w).Address)).GetAwaiter().GetResult());
                    governance = (proposals, fee, accounts);
                }
                catch (Exception e) when (e is HttpRequestException or LedgerRpcException or LedgerTimeoutException)
                {
                    // The node is restarting (the test kills it); the next tick asks again.
                }
            }

            if (s.LossHistory.Count >= 2 && state is null && supervisor.DashboardEndpoint is { } dash)
            {
                page = http.GetStringAsync(dash).GetAwaiter().GetResult();
                state = http.GetStringAsync(new Uri(dash, "api/state")).GetAwaiter().GetResult();
            }
        }, CancellationToken.None);

        // Always observe the browser task, but report a failed devnet run (with its log) before the browser's view of it.
        var browserRun = browser is null ? null : await Task.WhenAny(browser);
        Assert.True(code == 0, log.ToString());
        var table = browserRun is null ? null : await browserRun;
        Assert.NotNull(last);

        // The lead validator's loss history spans the whole run: its restart kept the windows scored before the kill.
        var losses = last.LossHistory;
        Assert.True(losses.Count >= 9, $"only {losses.Count} windows scored\n{log}");
        Assert.True(losses[^1].Loss < losses[0].Loss, $"held-out loss {losses[0].Loss} -> {losses[^1].Loss}");
        Assert.NotNull(historyAtKill);
        Assert.All(historyAtKill, h => Assert.Contains(h, losses));

        var predicted = PayloadFormat.SizeOf(TensorLayout.FromModel(new LlamaModel(ModelConfig.Tiny).Layout), CodecSettings.Default);
        foreach (var miner in last.Miners.Where(m => m.Behavior == "honest"))
        {
            Assert.True(miner.Stake > 0, $"{miner.Name} (UID {miner.Uid}) earned nothing");
            Assert.Equal(predicted, miner.LastPayloadBytes);
        }

        Assert.All(last.Miners.Where(m => m.Behavior == "copycat"), m => Assert.Equal(0UL, m.Stake));

        // The hostile-uri miner ran all along and earned nothing: no peer could open what it committed.
        var hostile = Assert.Single(last.Miners, m => m.Behavior == "hostile-uri");
        Assert.Equal(0UL, hostile.Stake);

        AssertFlashLockingGovernanceAttackFailed(attackerStatus, governance, log.ToString());

        // Every crash was followed by exactly one restart by the supervisor, and the crashed miner was paid again.
        Assert.Equal([1, 1, 1], new[] { "miner1", "validator", "node" }.Select(supervisor.Restarts));
        Assert.NotNull(stakeAtKill);
        Assert.True(last.Miners.Single(m => m.Name == "miner1").Stake > stakeAtKill, "the restarted miner was not paid again");

        // Both validators judged the windows and earned dividends for it; the lead is the subnet owner.
        Assert.Equal(["validator", "validator1"], last.Validators.Select(v => v.Name));
        Assert.All(last.Validators, v => Assert.True(v.Dividends > 0 && v.ScoredWindow is not null, $"{v.Name}: dividends {v.Dividends}, scored {v.ScoredWindow}"));
        Assert.True(last.Validators[0].Lead);

        // The saved ratings are those of miners only (never the other validator). A miner is rated once its first
        // commitment is on the board; with fees, a hotkey top-up comes first, so at the kill (window 4 or so) one of the
        // five may not have committed yet: most of them must be rated.
        var minerUids = last.Miners.Where(m => m.Uid is not null).Select(m => (uint)m.Uid!.Value).ToHashSet();
        AssertValidatorResumedFromItsRatings(savedAtKill, steppedAtKill, reportedAtKill, afterRestart, last.ScoredWindow, minerUids);

        // The node came back with its blocks, and nobody's stake went backwards across its crash.
        Assert.True(nodeBack, $"the node did not come back after its SIGKILL\n{log}");
        Assert.All(ledgerAtKill!.Value.Stakes, kv => Assert.True(last.Miners.Single(m => m.Name == kv.Key).Stake >= kv.Value, $"{kv.Key}'s stake fell across the node's crash"));

        // The dashboard served its page and live JSON while the network ran.
        Assert.NotNull(page);
        Assert.Contains("id=\"loss-chart\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var json = global::System.Text.Json.JsonDocument.Parse(state!);
        Assert.True(json.RootElement.GetProperty("loss").GetArrayLength() >= 2);
        Assert.Equal(minerCount, json.RootElement.GetProperty("miners").GetArrayLength());
        Assert.Equal(5, minerCount); // 3 honest, the copycat and the hostile-uri miner; the governance attacker is none
        Assert.Equal(2, json.RootElement.GetProperty("validators").GetArrayLength());

        // Chromium ran the page's script: charts drawn and one metagraph row per neuron (see DashboardBrowserCheck).
        Assert.NotNull(table);
        Assert.Equal(last.Miners.Select(m => m.Name).Order(StringComparer.Ordinal), table.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(screenshot), screenshot);

        await AssertASecondRunResumesAndStopsCleanlyAsync(options, last);
    }

    /// <summary>Runs the devnet again on the same data directory and stops it the way Ctrl-C does (cancellation): the chain,
    /// the wallets and every role's state carry on, and no child process outlives the supervisor.</summary>
    private static async Task AssertASecondRunResumesAndStopsCleanlyAsync(DevnetOptions options, DevnetSnapshot first)
    {
        var password = File.ReadAllText(Path.Combine(options.DataDirectory, "devnet-password"));
        using var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        var again = new DevnetSupervisor(options with { Windows = null, Duration = TimeSpan.FromMinutes(3), DashboardPort = null }, log);
        string[] names = ["node", .. again.ValidatorNames, .. again.MinerNames.Select(m => m.Name)];
        var pids = new HashSet<int>();
        DevnetSnapshot? resumed = null;
        var code = await again.RunAsync(s =>
        {
            resumed = s;
            foreach (var name in names)
            {
                if (again.ChildProcessId(name) is { } pid)
                {
                    pids.Add(pid);
                }
            }

            if (s.LossHistory.Count >= first.LossHistory.Count + 2)
            {
                stop.Cancel();
            }
        }, stop.Token);

        Assert.True(code == 0 && stop.IsCancellationRequested, $"the resumed devnet did not score two more windows\n{log}");
        Assert.NotNull(resumed);
        Assert.True(resumed.Height > first.Height, $"the chain restarted at height {resumed.Height} (first run reached {first.Height})");
        Assert.Equal(first.LossHistory, resumed.LossHistory.Take(first.LossHistory.Count));
        Assert.Equal(password, File.ReadAllText(Path.Combine(options.DataDirectory, "devnet-password")));
        Assert.All(first.Miners.Where(m => m.Behavior == "honest"), m => Assert.Equal(m.Uid, resumed.Miners.Single(r => r.Name == m.Name).Uid));
        Assert.Equal(names.Length, pids.Count);
        Assert.All(pids, pid => Assert.Throws<ArgumentException>(() => global::System.Diagnostics.Process.GetProcessById(pid)));
    }

    /// <summary>
    /// The flash-gov attacker (see GovernanceAttacker) could not flash-lock, could not take its locked alpha back out, and
    /// passing its free TAO through its other coldkeys did not let the same bankroll vote again: the ledger weighs each
    /// coldkey's vote only by alpha locked on that coldkey until voting end + timelock, and the first coldkey's stake
    /// stayed locked, so each later coldkey voted only with the TAO the first never staked.
    /// </summary>
    private static void AssertFlashLockingGovernanceAttackFailed(string statusPath, (IReadOnlyList<ProposalView> Proposals, ulong MinTxFee,
        Dictionary<string, global::System.Text.Json.JsonElement> Accounts)? governance, string log)
    {
        Assert.True(File.Exists(statusPath), $"the attacker wrote no status file\n{log}");
        var (attackState, proposalId, coldkeys, steps) = GovernanceAttacker.ReadStatus(statusPath);
        var record = string.Join("\n", steps.Select(st => $"{st.Coldkey} {st.Action}: {(st.Accepted ? "accepted" : $"{st.Code} {st.CodeName} {st.Message}")}"));
        Assert.True(attackState == "done", $"attacker state {attackState}\n{record}\n{log}");
        AttackStep Step(string coldkey, string action) => Assert.Single(steps, st => st.Coldkey == coldkey && st.Action == action);
        var first = coldkeys[0].Name;
        Assert.True(Step(first, "stake").Accepted, record);
        var flash = Step(first, "lock-2-blocks");
        Assert.False(flash.Accepted, $"the 2-block lock was accepted\n{record}");
        Assert.Equal("InvalidDuration", flash.CodeName);
        Assert.True(Step(first, "lock-min-duration").Accepted, record);
        Assert.True(Step(first, "propose-max-min-tx-fee").Accepted, record);
        var unstakes = steps.Where(st => st.Action == "unstake").ToList();
        Assert.NotEmpty(unstakes);
        Assert.All(unstakes, st => Assert.True(!st.Accepted && st.CodeName == "StakeLocked", $"{st.Coldkey} unstaked its locked alpha\n{record}"));
        var voters = steps.Where(st => st.Action == "vote-yes" && st.Accepted).Select(st => st.Coldkey).ToList();
        Assert.True(voters.Count >= 2, $"the bankroll was not passed on to a second coldkey that voted\n{record}");

        Assert.NotNull(governance);
        var (proposals, minTxFee, accounts) = governance.Value;
        var proposal = Assert.Single(proposals, p => p.Id == proposalId);
        Assert.Equal(("MinTxFee", GlobalParameters.Bounds(GlobalParameter.MinTxFee).Max), (proposal.Parameter, proposal.Value));
        Assert.Equal("Voting", proposal.Status); // the voting period is 7 days of blocks: still open when the run ends

        // Every voter's stake is still locked (its lock runs one interval; what it earns as a nominator since is not):
        // the alpha behind one vote never moved to the next coldkey.
        foreach (var voter in voters)
        {
            var stakes = accounts[voter].GetProperty("stakes").EnumerateArray().ToList();
            Assert.True(stakes.Count > 0 && stakes.All(st => st.GetProperty("locked").GetUInt64() is var locked && locked > 0 && locked <= st.GetProperty("alpha").GetUInt64()),
                $"{voter}'s stake is no longer locked: {accounts[voter]}");
        }

        // The ledger's yes weight is the sum of the weights it stored per vote (until the tally re-weighs them), one vote per
        // attacker coldkey. The first coldkey holds the largest weight; each later one weighs only what the first passed on
        // unstaked, so passing the bankroll through three coldkeys did not even double the first's vote (with a flash
        // unlock each coldkey would have re-voted the whole bankroll).
        var addresses = coldkeys.ToDictionary(c => c.Address, c => c.Name);
        Assert.Equal(voters.Order(StringComparer.Ordinal), proposal.Votes.Select(v => addresses[v.Voter]).Order(StringComparer.Ordinal));
        Assert.All(proposal.Votes, v => Assert.True(v.Approve));
        Assert.Equal(proposal.Votes.Aggregate(UInt128.Zero, (sum, v) => sum + v.Weight), proposal.YesWeight);
        var firstWeight = proposal.Votes.Single(v => addresses[v.Voter] == first).Weight;
        Assert.All(proposal.Votes.Where(v => addresses[v.Voter] != first), v => Assert.True(v.Weight < firstWeight,
            $"{addresses[v.Voter]} voted with {v.Weight}, not less than the first coldkey's {firstWeight}: the bankroll voted twice"));
        Assert.True(proposal.YesWeight < 2 * firstWeight,
            $"yes weight {proposal.YesWeight} reached twice the largest single attacker coldkey's weight {firstWeight}: the locked bankroll was re-used");

        // And the minimum fee the attacker proposed to raise to its upper bound is still what the devnet genesis set.
        Assert.Equal(DevnetSupervisor.DevnetMinTxFee, minTxFee);
    }

    private static void AssertValidatorResumedFromItsRatings(ValidatorState? saved, ulong stepped, string? reported,
        ValidatorState? resumed, ulong? lastScored, IReadOnlySet<uint> miners)
    {
        Assert.NotNull(saved);
        Assert.NotNull(reported);
        var rated = saved.Miners.Keys.ToHashSet();
        Assert.True(saved.LastWindow is not null && rated.IsSubsetOf(miners) && rated.Count > miners.Count / 2,
            $"the validator had saved ratings for UIDs [{string.Join(", ", rated.Order())}] up to window {saved.LastWindow}; "
            + $"the miners are [{string.Join(", ", miners.Order())}]: only miners may be rated, and most of them");

        // What it saved is what it was running with: its last status (written by the killed process after each save) shows
        // the same ratings, unless the SIGKILL fell between the save and the status write, when the status is one window behind.
        // (The last window stepped can be later than the last one judged: see ValidatorRole on windows seen too late.)
        using (var status = global::System.Text.Json.JsonDocument.Parse(reported))
        {
            var shownWindow = status.RootElement.GetProperty("scored_window").GetUInt64();
            Assert.True(shownWindow == stepped || shownWindow + 1 == stepped, $"status shows window {shownWindow}, the state file {stepped}");
            if (shownWindow == stepped)
            {
                var shown = status.RootElement.GetProperty("miners").EnumerateArray()
                    .ToDictionary(m => m.GetProperty("uid").GetUInt32(), m => m.GetProperty("rating").GetDouble());
                Assert.Equal(saved.Miners.Keys.Order(), shown.Keys.Order());
                Assert.All(saved.Miners, m => Assert.Equal(Math.Round(m.Value.Rating.Ordinal(), 4), shown[m.Key]));
            }
        }

        // The restarted validator went on scoring from the saved state.
        Assert.NotNull(resumed);
        Assert.True(resumed.LastWindow > saved.LastWindow && lastScored > saved.LastWindow, $"no window scored after the restart (saved at {saved.LastWindow})");

        // Each scored window adds at most τ² to a rating's variance and the OpenSkill update only shrinks it, so a
        // validator that had lost its ratings (σ back to 25/3) would fail this for the miners whose σ had already narrowed.
        var initial = new OpenSkillOptions();
        var tau = GauntletSettings.Default.RatingTau;
        var games = (double)(resumed.LastWindow!.Value - saved.LastWindow!.Value);
        var narrowed = saved.Miners.Where(m => m.Value.Rating.Sigma < initial.Sigma - 0.25).ToList();
        Assert.NotEmpty(narrowed);
        foreach (var (uid, before) in narrowed)
        {
            var after = resumed.Miners[uid].Rating;
            if (after == new Rating(initial.Mu, initial.Sigma))
            {
                continue; // a copy reset (see GauntletValidator) restarts a copier's rating by design
            }

            Assert.True(after.Sigma * after.Sigma <= (before.Rating.Sigma * before.Rating.Sigma) + (games * tau * tau) + 1e-9,
                $"UID {uid}: σ {before.Rating.Sigma} before the restart, {after.Sigma} after {games} more windows");
            Assert.True(resumed.Miners[uid].LastEvaluatedWindow > before.LastEvaluatedWindow);
        }
    }
}
