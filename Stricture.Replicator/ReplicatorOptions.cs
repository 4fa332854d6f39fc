namespace Stricture.Replicator;

public sealed class ReplicatorOptions
{
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromHours(1);
}
