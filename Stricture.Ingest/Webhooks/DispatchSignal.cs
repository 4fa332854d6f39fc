namespace Stricture.Ingest.Webhooks;

/// <summary>Wakes this process's dispatcher when it enqueues a delivery, so the first attempt follows the 202 without waiting for the next poll.</summary>
internal sealed class DispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another enqueue signalled first: one wake-up covers both.
            }
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
