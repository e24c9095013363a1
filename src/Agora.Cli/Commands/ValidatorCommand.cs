using System.CommandLine;
using Agora.Node.Ledger;
using Agora.Node.Roles;
using Agora.Node.Wallets;

namespace Agora.Cli.Commands;

/// <summary>`agora validator`: a Gauntlet validator process (see <see cref="ValidatorRole"/>).</summary>
internal static class ValidatorCommand
{
    public static Command Create()
    {
        var o = new RoleOptions();
        var stake = new Option<ulong>("--stake") { Description = "TAO (rao) to stake to the validator's hotkey when it has none.", DefaultValueFactory = _ => 100 * 1_000_000_000UL };
        var command = new Command("validator", "Run a validator: score every committed update with the Gauntlet, set weights by commit-reveal, publish the selection and checkpoints.");
        o.AddTo(command);
        command.Add(stake);
        command.SetAction(async (pr, ct) =>
        {
            var error = pr.InvocationConfiguration.Error;
            try
            {
                using var ctx = RoleContext.Open(pr, o, "validator");
                var role = new ValidatorRole(ctx.Setup, ctx.Ledger, ctx.Board, ctx.Store, ctx.Coldkey, ctx.Hotkey, ctx.StateDirectory, pr.GetValue(stake), ctx.Threads, ctx.PeerStores);
                var statusPath = Path.Combine(ctx.StateDirectory, RoleStatusFile.ValidatorFileName);
                await pr.InvocationConfiguration.Output.WriteLineAsync($"agora validator: hotkey {ctx.HotkeyAddress} on subnet {ctx.Setup.Netuid}");
                await RoleHost.RunAsync(role.TickAsync, () => RoleStatusFile.Write(statusPath, role.Status), error, TimeSpan.FromMilliseconds(250), ct);
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or WalletException or IOException or InvalidDataException or HttpRequestException or LedgerRpcException or HotkeyOwnershipException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
