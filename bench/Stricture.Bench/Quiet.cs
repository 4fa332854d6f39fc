namespace Stricture.Bench;

/// <summary>
/// Before each measured slice: flush what earlier work left dirty and let the disk settle, so one
/// slice's writeback does not land in the next one's numbers.
/// </summary>
internal static class Quiet
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    public static void Settle()
    {
        Libc.Sync();
        Thread.Sleep(SettleTime);
    }
}
