using System.Buffers;
using System.Runtime.InteropServices;

namespace Stricture.Ingest.Requests;

/// <summary>
/// A request body held in segments and exposed as one <see cref="ReadOnlySequence{T}"/>: memory
/// grows with the body, never to a doubled contiguous array. The first segment is a pooled 64 KiB
/// array (most posts fit in it); further segments are 1 MiB blocks of native memory, freed back to
/// the operating system on dispose. Large bodies live for the whole request, so as managed arrays
/// they would be promoted to the oldest GC generation and linger after the request as garbage;
/// 32 concurrent 10 MB posts pushed peak RSS past 600 MiB that way (docs/benchmarks.md).
/// </summary>
internal sealed class PooledBuffer : IDisposable
{
    private const int FirstSegmentSize = 64 * 1024;
    private const int LargeSegmentSize = 1024 * 1024;

    private Segment? _first;
    private Segment? _last;

    public long Length { get; private set; }

    public ReadOnlySequence<byte> Sequence =>
        _first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_first, 0, _last!, _last!.Written);

    /// <summary>Space to read into; call <see cref="Advance"/> with how much was filled.</summary>
    public Memory<byte> GetWritableMemory()
    {
        if (_last is null || _last.Written == _last.Capacity)
        {
            var segment = _last is null
                ? new Segment(new PooledArray(FirstSegmentSize), Length)
                : new Segment(new NativeBlock(LargeSegmentSize), Length);
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
        return _last.Owner.Memory[_last.Written..];
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
            segment.Owner.Dispose();
        }
        _first = _last = null;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(IMemoryOwner<byte> owner, long runningIndex)
        {
            Owner = owner;
            RunningIndex = runningIndex;
        }

        public IMemoryOwner<byte> Owner { get; }

        public int Capacity => Owner.Memory.Length;

        public int Written { get; private set; }

        public void Advance(int count)
        {
            Written += count;
            Memory = Owner.Memory[..Written];
        }

        public void SetNext(Segment next) => Next = next;
    }

    private sealed class PooledArray(int size) : IMemoryOwner<byte>
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(size);

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (_array is not null)
            {
                ArrayPool<byte>.Shared.Return(_array);
                _array = null;
            }
        }
    }

    private sealed unsafe class NativeBlock : MemoryManager<byte>
    {
        private readonly int _length;
        private byte* _pointer;

        public NativeBlock(int length)
        {
            _length = length;
            _pointer = (byte*)NativeMemory.Alloc((nuint)length);
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (_pointer is not null)
            {
                NativeMemory.Free(_pointer);
                _pointer = null;
            }
        }
    }
}
