using System.Buffers;

namespace Stricture.Ingest.Requests;

/// <summary>
/// A request body held in pooled 64 KiB segments and exposed as one <see cref="ReadOnlySequence{T}"/>:
/// memory grows with the body, never to a doubled contiguous array, and goes back to the pool on dispose.
/// </summary>
internal sealed class PooledBuffer : IDisposable
{
    private const int SegmentSize = 64 * 1024;

    private Segment? _first;
    private Segment? _last;

    public long Length { get; private set; }

    public ReadOnlySequence<byte> Sequence =>
        _first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_first, 0, _last!, _last!.Written);

    /// <summary>Space to read into; call <see cref="Advance"/> with how much was filled.</summary>
    public Memory<byte> GetWritableMemory()
    {
        if (_last is null || _last.Written == _last.Array.Length)
        {
            var segment = new Segment(ArrayPool<byte>.Shared.Rent(SegmentSize), Length);
            if (_last is null)
            {
                _first = segment;
            }
            else
            {
                _last.SetNext(segment);
            }
            _last = segment;
        }
        return _last.Array.AsMemory(_last.Written);
    }

    public void Advance(int count)
    {
        _last!.Advance(count);
        Length += count;
    }

    public void Dispose()
    {
        for (var segment = _first; segment is not null; segment = (Segment?)segment.Next)
        {
            ArrayPool<byte>.Shared.Return(segment.Array);
        }
        _first = _last = null;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] array, long runningIndex)
        {
            Array = array;
            RunningIndex = runningIndex;
        }

        public byte[] Array { get; }

        public int Written { get; private set; }

        public void Advance(int count)
        {
            Written += count;
            Memory = Array.AsMemory(0, Written);
        }

        public void SetNext(Segment next) => Next = next;
    }
}
