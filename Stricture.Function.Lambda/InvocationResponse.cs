using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Stricture.Function.Lambda;

/// <summary>
/// The response side of one invocation's HttpContext: status, headers and a body buffered in
/// memory, since a Lambda response is one document sent when the application is done. It keeps
/// Kestrel's contract where the application can tell: OnStarting callbacks run (last registered
/// first) before the first body byte or at the end, HasStarted turns true then, and OnCompleted
/// callbacks run after the response has been handed back.
/// </summary>
internal sealed class InvocationResponse : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly MemoryStream _buffer = new();
    private readonly Stack<(Func<object, Task> Callback, object State)> _onStarting = new();
    private readonly Stack<(Func<object, Task> Callback, object State)> _onCompleted = new();
    private PipeWriter? _writer;

    public InvocationResponse()
    {
        Stream = new StartingStream(this);
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    /// <summary>The body stream through the obsolete member of IHttpResponseFeature; the same as <see cref="Stream"/>.</summary>
    public Stream Body
    {
        get => Stream;
        set => throw new NotSupportedException("Replace the body through IHttpResponseBodyFeature.");
    }

    public bool HasStarted { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    /// <summary>What the application wrote, once it is done.</summary>
    public ReadOnlyMemory<byte> Content => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }
        _onStarting.Push((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Push((callback, state));

    public void DisableBuffering()
    {
        // Always buffered: the whole response is one document.
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }
        while (_onStarting.TryPop(out var entry))
        {
            await entry.Callback(entry.State);
        }
        HasStarted = true;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
        await StartAsync();
    }

    /// <summary>Runs the OnCompleted callbacks; a failing one is the caller's to log, and the rest still run.</summary>
    public async Task<IReadOnlyList<Exception>> RunOnCompletedAsync()
    {
        var failures = new List<Exception>();
        while (_onCompleted.TryPop(out var entry))
        {
            try
            {
                await entry.Callback(entry.State);
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }
        return failures;
    }

    /// <summary>Drops whatever was set so far, for the plain 500 sent when the application failed before starting.</summary>
    public void Reset(int statusCode)
    {
        StatusCode = statusCode;
        ReasonPhrase = null;
        Headers.Clear();
        _buffer.SetLength(0);
    }

    /// <summary>The body stream: starts the response on the first write or flush, then appends to the buffer.</summary>
    private sealed class StartingStream(InvocationResponse response) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            response.StartAsync().GetAwaiter().GetResult();
            response._buffer.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await response.StartAsync(cancellationToken);
            response._buffer.Write(buffer.Span);
        }

        public override void Flush() => response.StartAsync().GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => response.StartAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
