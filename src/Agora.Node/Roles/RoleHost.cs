namespace Agora.Node.Roles;

/// <summary>Runs a role's tick loop in a process until cancelled: poll the height, tick, write the status file.
/// A failing tick (node restarting, peer store briefly unreadable) is reported and retried, never fatal.</summary>
public static class RoleHost
{
    public static async Task RunAsync(Func<CancellationToken, Task> tick, Action writeStatus, TextWriter log, TimeSpan poll, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(writeStatus);
        ArgumentNullException.ThrowIfNull(log);
        string? lastError = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await tick(ct).ConfigureAwait(false);
                writeStatus();
                lastError = null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or LedgerRejectedException or Ledger.LedgerRpcException or InvalidDataException)
            {
                if (e.Message != lastError)
                {
                    await log.WriteLineAsync($"warning: {e.Message}").ConfigureAwait(false);
                    await log.FlushAsync(ct).ConfigureAwait(false);
                    lastError = e.Message;
                }
            }

            try
            {
                await Task.Delay(poll, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
